using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;

namespace CnnParity.Parity.Deployed;

/// <summary>
/// A spec's weights as its state_dict (<see cref="ParameterSet{T}"/>, PyTorch's layout), whatever engine made them: the
/// seed's initial weights, a weights file, or the chapter-10 network's <c>kernels</c> and <c>weights_1_2</c> mapped
/// through <see cref="NotebookLayout"/>. What export and the deployed-model section start from.
/// </summary>
public static class SpecWeights
{
    /// <summary>
    /// The weights <c>np.random.seed(seed)</c> draws before training: for ch10 the notebook's initialisation, for any
    /// other spec PyTorch's default bound drawn from NumPy (<see cref="ParameterSet{T}.Initialize"/>).
    /// </summary>
    public static ParameterSet<double> Initial(ArchitectureSpec spec, uint seed) =>
        ParameterSet<double>.Initialize(spec, new NumPyRandomState(seed), ModelOptions.Of(spec).Initialisation);

    /// <summary>The weights in a file that <c>train --save</c> wrote (<see cref="WeightsFile"/>), checked against the spec.</summary>
    public static ParameterSet<double> Load(string path, ArchitectureSpec spec)
    {
        if (!spec.IsChapter10)
        {
            var arrays = WeightsFile.Load(path, spec);
            return ParameterSet<double>.FromArrays(spec, [.. spec.Parameters.Select(p => arrays[p.Name])]);
        }
        var (kernels, weights) = WeightsFile.LoadChapter10(path, NotebookLayout.Of(spec).Config);
        return NotebookParameters.FromNotebook(spec, kernels, weights);
    }
}
