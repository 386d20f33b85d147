using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines.Chapter10;

/// <summary>
/// The one place where the chapter-10 notebook's layouts meet PyTorch's, which the <c>ch10</c> spec (and so the generic
/// engine, the TorchSharp twin, the ONNX export and every report row) uses. Every copy between the two goes through here;
/// the notebook's order stays inside the chapter-10 engines.
/// <list type="bullet">
/// <item>Kernels: the notebook's <c>kernels[r*3+c, k]</c> (a 9 x K matrix, because im2col flattens each 3x3
/// section row-major) is PyTorch's <c>conv1.weight[k, 0, r, c]</c>.</item>
/// <item>Hidden vector: the notebook's <c>layer_1</c> is position-major, kernel-minor (NHWC flattened:
/// index <c>p*K + k</c>); PyTorch flattens NCHW, kernel-major (index <c>k*P + p</c>). So the rows of
/// <c>weights_1_2</c> (hidden x 10), the hidden activations and the dropout masks are permuted, and
/// <c>dense1.weight</c> is the transpose (10 x hidden).</item>
/// </list>
/// </summary>
public sealed class NotebookLayout
{
    const int Classes = ArchitectureSpec.Classes, Area = ScratchConfig.KernelArea;

    public int NumKernels { get; }
    /// <summary>Positions per side (26 in the seed notebook, 25 in the book).</summary>
    public int Grid { get; }
    public int Positions => Grid * Grid;
    public int Hidden => Positions * NumKernels;

    public NotebookLayout(int numKernels, int grid)
    {
        if (numKernels <= 0) throw new ArgumentOutOfRangeException(nameof(numKernels));
        if (grid <= 0 || grid > 26) throw new ArgumentOutOfRangeException(nameof(grid));
        NumKernels = numKernels;
        Grid = grid;
    }

    /// <summary>The layout of a ch10 spec: its kernels and the grid that flatten reads.</summary>
    public static NotebookLayout Of(ArchitectureSpec spec)
    {
        if (!spec.IsChapter10) throw new ArgumentException($"'{spec.DisplayName}' is not the ch10 network", nameof(spec));
        return new NotebookLayout(spec.Chapter10NumKernels, spec.Layer("flatten").Input.Height);
    }

    /// <summary>The chapter-10 configuration of this layout (its kernels and grid; everything else the notebook's).</summary>
    public ScratchConfig Config => new() { NumKernels = NumKernels, Grid = Grid };

    /// <summary>Index in PyTorch's flattened hidden vector of the notebook's hidden index <c>p*K + k</c>.</summary>
    public int TorchHiddenIndex(int scratchIndex) =>
        scratchIndex % NumKernels * Positions + scratchIndex / NumKernels;

    /// <summary>The notebook's kernels (9 x K) → Conv2d weight (K x 1 x 3 x 3), flattened.</summary>
    public double[] ConvWeightFromKernels(ReadOnlySpan<double> kernels)
    {
        CheckLength(kernels.Length, Area * NumKernels, "kernels");
        var weight = new double[Area * NumKernels];
        for (int rc = 0; rc < Area; rc++)
            for (int k = 0; k < NumKernels; k++)
                weight[k * Area + rc] = kernels[rc * NumKernels + k];
        return weight;
    }

    /// <summary>Conv2d weight (K x 1 x 3 x 3) → the notebook's kernels (9 x K).</summary>
    public double[] KernelsFromConvWeight(ReadOnlySpan<double> weight)
    {
        CheckLength(weight.Length, Area * NumKernels, "conv weight");
        var kernels = new double[Area * NumKernels];
        for (int rc = 0; rc < Area; rc++)
            for (int k = 0; k < NumKernels; k++)
                kernels[rc * NumKernels + k] = weight[k * Area + rc];
        return kernels;
    }

    /// <summary>The notebook's weights_1_2 (hidden x 10, NHWC rows) → Linear weight (10 x hidden, NCHW columns).</summary>
    public double[] LinearWeightFromDense(ReadOnlySpan<double> dense)
    {
        CheckLength(dense.Length, Hidden * Classes, "weights_1_2");
        var weight = new double[Hidden * Classes];
        for (int h = 0; h < Hidden; h++)
        {
            int t = TorchHiddenIndex(h);
            for (int j = 0; j < Classes; j++)
                weight[j * Hidden + t] = dense[h * Classes + j];
        }
        return weight;
    }

    /// <summary>Linear weight (10 x hidden) → the notebook's weights_1_2 (hidden x 10).</summary>
    public double[] DenseFromLinearWeight(ReadOnlySpan<double> weight)
    {
        CheckLength(weight.Length, Hidden * Classes, "linear weight");
        var dense = new double[Hidden * Classes];
        for (int h = 0; h < Hidden; h++)
        {
            int t = TorchHiddenIndex(h);
            for (int j = 0; j < Classes; j++)
                dense[h * Classes + j] = weight[j * Hidden + t];
        }
        return dense;
    }

    /// <summary>Rows of hidden vectors (batch x hidden): the notebook's order → PyTorch's order.</summary>
    public T[] HiddenToTorch<T>(ReadOnlySpan<T> scratch)
    {
        int rows = CheckRows(scratch.Length);
        var torch = new T[scratch.Length];
        for (int b = 0; b < rows; b++)
            for (int h = 0; h < Hidden; h++)
                torch[b * Hidden + TorchHiddenIndex(h)] = scratch[b * Hidden + h];
        return torch;
    }

    /// <summary>Rows of hidden vectors (batch x hidden): PyTorch's order → the notebook's order.</summary>
    public T[] HiddenFromTorch<T>(ReadOnlySpan<T> torch)
    {
        int rows = CheckRows(torch.Length);
        var scratch = new T[torch.Length];
        for (int b = 0; b < rows; b++)
            for (int h = 0; h < Hidden; h++)
                scratch[b * Hidden + h] = torch[b * Hidden + TorchHiddenIndex(h)];
        return scratch;
    }

    int CheckRows(int length)
    {
        if (length % Hidden != 0)
            throw new ArgumentException($"length {length} is not a multiple of the hidden size {Hidden}");
        return length / Hidden;
    }

    static void CheckLength(int actual, int expected, string what)
    {
        if (actual != expected)
            throw new ArgumentException($"{what} has {actual} values, expected {expected}");
    }
}
