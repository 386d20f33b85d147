using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines.Chapter10;

/// <summary>
/// The chapter-10 network's weights as the <c>ch10</c> spec's state_dict — <c>conv1.weight</c> (K, 1, 3, 3) and
/// <c>dense1.weight</c> (10, K·grid²), channel-major as torch's flatten gives it — and back to the notebook's
/// <c>kernels</c> (9 x K) and <c>weights_1_2</c> (hidden x 10), through <see cref="NotebookLayout"/>. Whatever leaves a
/// chapter-10 engine (a check, the twin, an export, a weights file) is in the spec's layout.
/// </summary>
public static class NotebookParameters
{
    /// <summary>The spec's parameters from the notebook's <c>kernels</c> and <c>weights_1_2</c> (copied, exactly).</summary>
    public static ParameterSet<double> FromNotebook(ArchitectureSpec spec, ReadOnlySpan<double> kernels, ReadOnlySpan<double> weightsOneTwo)
    {
        var layout = NotebookLayout.Of(spec);
        // ch10's spec has exactly two parameters, both bias-free: the conv weight, then the dense weight.
        return ParameterSet<double>.FromArrays(spec, [layout.ConvWeightFromKernels(kernels), layout.LinearWeightFromDense(weightsOneTwo)]);
    }

    /// <summary>The spec's parameters holding <paramref name="network"/>'s current weights.</summary>
    public static ParameterSet<double> FromNotebook(ArchitectureSpec spec, ScratchNetwork network) =>
        FromNotebook(spec, network.Kernels, network.WeightsOneTwo);

    /// <summary>A chapter-10 network of <paramref name="config"/> holding <paramref name="parameters"/> (the spec's state_dict).</summary>
    public static ScratchNetwork ToNotebook(ParameterSet<double> parameters, ScratchConfig config)
    {
        var layout = NotebookLayout.Of(parameters.Spec);
        if (layout.NumKernels != config.NumKernels || layout.Grid != config.Grid)
        {
            throw new ArgumentException($"the parameters are for K={layout.NumKernels}, grid {layout.Grid}; the configuration is K={config.NumKernels}, grid {config.Grid}");
        }
        return new ScratchNetwork(config, layout.KernelsFromConvWeight(parameters[0]), layout.DenseFromLinearWeight(parameters[1]));
    }

    /// <summary>
    /// The notebook's initialisation (<see cref="ScratchNetwork.Initialize"/>: <c>kernels = 0.02·U − 0.01</c> as 9 x K, then
    /// <c>weights_1_2 = 0.2·U − 0.1</c> as hidden x 10, from <paramref name="random"/> in that order), in the spec's layout.
    /// </summary>
    public static ParameterSet<double> Initialize(ArchitectureSpec spec, NumPyRandomState random) =>
        FromNotebook(spec, ScratchNetwork.Initialize(NotebookLayout.Of(spec).Config, random));
}
