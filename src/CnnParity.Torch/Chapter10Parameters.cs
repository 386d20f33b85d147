using CnnParity.Core.Architecture;

namespace CnnParity.Torch;

/// <summary>
/// The chapter-10 network's weights as the <c>ch10</c> spec's state_dict — <c>conv1.weight</c> (K, 1, 3, 3) and
/// <c>dense1.weight</c> (10, hidden) in PyTorch's layout — and back, through <see cref="TwinLayout"/>, the one
/// mapping between the notebook's arrays and PyTorch's. This is how the ch10 network reaches the ONNX exporter.
/// </summary>
public static class Chapter10Parameters
{
    /// <summary>The spec's parameters by state_dict name from the notebook's <c>kernels</c> (9 x K) and <c>weights_1_2</c> (hidden x 10).</summary>
    public static Dictionary<string, double[]> FromScratch(ArchitectureSpec spec, double[] kernels, double[] weightsOneTwo)
    {
        var (layout, conv, dense) = Names(spec);
        return new() { [conv] = layout.ConvWeightFromKernels(kernels), [dense] = layout.LinearWeightFromDense(weightsOneTwo) };
    }

    /// <summary>The notebook's <c>kernels</c> and <c>weights_1_2</c> from the spec's parameters by state_dict name.</summary>
    public static (double[] Kernels, double[] WeightsOneTwo) ToScratch(ArchitectureSpec spec, Func<string, double[]> parameters)
    {
        var (layout, conv, dense) = Names(spec);
        return (layout.KernelsFromConvWeight(parameters(conv)), layout.DenseFromLinearWeight(parameters(dense)));
    }

    /// <summary>The layout of a ch10 spec: its kernels and the grid that flatten reads.</summary>
    public static TwinLayout Layout(ArchitectureSpec spec)
    {
        if (!spec.IsChapter10) throw new ArgumentException($"'{spec.DisplayName}' is not the ch10 network", nameof(spec));
        return new TwinLayout(spec.Chapter10NumKernels, spec.Layer("flatten").Input.Height);
    }

    static (TwinLayout Layout, string Conv, string Dense) Names(ArchitectureSpec spec)
    {
        var layout = Layout(spec);
        // ch10's spec has exactly two parameters, both bias-free: the conv weight, then the dense weight.
        return (layout, spec.Parameters[0].Name, spec.Parameters[1].Name);
    }
}
