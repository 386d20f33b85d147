using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.IO;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Torch;

namespace CnnParity.Parity.Deployed;

/// <summary>
/// A spec's weights as its state_dict (<see cref="ParameterSet{T}"/>, PyTorch's layout), whatever engine made them: the
/// seed's initial weights, a weights file, or the chapter-10 network's <c>kernels</c> and <c>weights_1_2</c> mapped
/// through <see cref="TwinLayout"/>. What export and the deployed-model section start from.
/// </summary>
public static class SpecWeights
{
    /// <summary>
    /// The weights <c>np.random.seed(seed)</c> draws before training: for ch10 the notebook's initialisation, for any
    /// other spec PyTorch's default bound drawn from NumPy (<see cref="ParameterSet{T}.Initialize"/>).
    /// </summary>
    public static ParameterSet<double> Initial(ArchitectureSpec spec, uint seed) =>
        spec.IsChapter10
            ? FromScratch(spec, ScratchNetwork.Initialize(Chapter10Config(spec), new NumPyRandomState(seed)))
            : ParameterSet<double>.Initialize(spec, new NumPyRandomState(seed));

    /// <summary>The weights in a file that <c>train --save</c> wrote (<see cref="WeightsFile"/>), checked against the spec.</summary>
    public static ParameterSet<double> Load(string path, ArchitectureSpec spec)
    {
        if (!spec.IsChapter10)
        {
            var arrays = WeightsFile.Load(path, spec);
            return ParameterSet<double>.FromArrays(spec, [.. spec.Parameters.Select(p => arrays[p.Name])]);
        }
        var (kernels, weights) = WeightsFile.LoadChapter10(path, Chapter10Config(spec));
        return FromScratch(spec, new ScratchNetwork(Chapter10Config(spec), kernels, weights));
    }

    /// <summary>The chapter-10 network's weights as its spec's state_dict.</summary>
    public static ParameterSet<double> FromScratch(ArchitectureSpec spec, ScratchNetwork network)
    {
        var byName = Chapter10Parameters.FromScratch(spec, network.Kernels, network.WeightsOneTwo);
        return ParameterSet<double>.FromArrays(spec, [.. spec.Parameters.Select(p => byName[p.Name])]);
    }

    /// <summary>The chapter-10 configuration a ch10 spec stands for (its kernels and grid; the rest the notebook's).</summary>
    public static ScratchConfig Chapter10Config(ArchitectureSpec spec)
    {
        var layout = Chapter10Parameters.Layout(spec);
        return new ScratchConfig { NumKernels = layout.NumKernels, Grid = layout.Grid };
    }
}
