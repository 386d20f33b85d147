using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;

namespace CnnParity.Torch;

/// <summary>
/// The one place where the from-scratch layouts meet TorchSharp's. Every copy between the two models goes
/// through here.
/// <list type="bullet">
/// <item>Kernels: from-scratch <c>kernels[r*3+c, k]</c> (a 9 x K matrix, because im2col flattens each 3x3
/// section row-major) is TorchSharp's <c>Conv2d.weight[k, 0, r, c]</c>.</item>
/// <item>Hidden vector: from-scratch <c>layer_1</c> is position-major, kernel-minor (NHWC flattened:
/// index <c>p*K + k</c>); TorchSharp flattens NCHW, kernel-major (index <c>k*P + p</c>). So the rows of
/// <c>weights_1_2</c> (hidden x 10) and the dropout masks are permuted, and <c>Linear.weight</c> is
/// the transpose (10 x hidden).</item>
/// </list>
/// </summary>
public sealed class TwinLayout
{
    const int Classes = ArchitectureSpec.Classes, Area = ScratchConfig.KernelArea;

    public int NumKernels { get; }
    /// <summary>Positions per side (26 in the seed notebook, 25 in the book).</summary>
    public int Grid { get; }
    public int Positions => Grid * Grid;
    public int Hidden => Positions * NumKernels;

    public TwinLayout(int numKernels, int grid)
    {
        if (numKernels <= 0) throw new ArgumentOutOfRangeException(nameof(numKernels));
        if (grid <= 0 || grid > 26) throw new ArgumentOutOfRangeException(nameof(grid));
        NumKernels = numKernels;
        Grid = grid;
    }

    /// <summary>Index in TorchSharp's flattened hidden vector of from-scratch hidden index <c>p*K + k</c>.</summary>
    public int TorchHiddenIndex(int scratchIndex) =>
        scratchIndex % NumKernels * Positions + scratchIndex / NumKernels;

    /// <summary>from-scratch kernels (9 x K) → Conv2d weight (K x 1 x 3 x 3), flattened.</summary>
    public double[] ConvWeightFromKernels(ReadOnlySpan<double> kernels)
    {
        CheckLength(kernels.Length, Area * NumKernels, "kernels");
        var weight = new double[Area * NumKernels];
        for (int rc = 0; rc < Area; rc++)
            for (int k = 0; k < NumKernels; k++)
                weight[k * Area + rc] = kernels[rc * NumKernels + k];
        return weight;
    }

    /// <summary>Conv2d weight (K x 1 x 3 x 3) → from-scratch kernels (9 x K).</summary>
    public double[] KernelsFromConvWeight(ReadOnlySpan<double> weight)
    {
        CheckLength(weight.Length, Area * NumKernels, "conv weight");
        var kernels = new double[Area * NumKernels];
        for (int rc = 0; rc < Area; rc++)
            for (int k = 0; k < NumKernels; k++)
                kernels[rc * NumKernels + k] = weight[k * Area + rc];
        return kernels;
    }

    /// <summary>from-scratch weights_1_2 (hidden x 10, NHWC rows) → Linear weight (10 x hidden, NCHW columns).</summary>
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

    /// <summary>Linear weight (10 x hidden) → from-scratch weights_1_2 (hidden x 10).</summary>
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

    /// <summary>Rows of hidden vectors (batch x hidden): from-scratch order → TorchSharp order.</summary>
    public T[] HiddenToTorch<T>(ReadOnlySpan<T> scratch)
    {
        int rows = CheckRows(scratch.Length);
        var torch = new T[scratch.Length];
        for (int b = 0; b < rows; b++)
            for (int h = 0; h < Hidden; h++)
                torch[b * Hidden + TorchHiddenIndex(h)] = scratch[b * Hidden + h];
        return torch;
    }

    /// <summary>Rows of hidden vectors (batch x hidden): TorchSharp order → from-scratch order.</summary>
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
