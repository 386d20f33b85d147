using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Scratch;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests;

/// <summary>
/// The layout mapping between the from-scratch tensors and TorchSharp's, checked against TorchSharp's own operations
/// (conv2d, permute, flatten, matmul), never against a copy of its own formula.
/// </summary>
public class NotebookLayoutTests
{
    /// <summary>
    /// TorchSharp's conv2d of the images with the mapped weight, cropped to the grid and flattened by TorchSharp, is
    /// the from-scratch im2col product <c>kernel_output = flattened_input · kernels</c> in the twin's hidden order; a
    /// weight mapped with rows and columns swapped is not. And the mapping back is its inverse.
    /// </summary>
    [Theory]
    [InlineData(4, 26)]
    [InlineData(3, 25)]
    public void KernelsMapToAConvWeightThatTorchSharpsConvolutionAgreesWith(int numKernels, int grid)
    {
        const int batch = 2, area = ScratchConfig.KernelArea, side = ScratchConfig.KernelSide;
        var layout = new NotebookLayout(numKernels, grid);
        var rng = new Random(11);
        var images = Enumerable.Range(0, batch * ScratchConfig.Pixels).Select(_ => rng.NextDouble()).ToArray();
        var kernels = Enumerable.Range(0, area * numKernels).Select(_ => rng.NextDouble() - 0.5).ToArray();

        // From scratch: im2col (rows: image, then position; columns: the 3x3 section row-major) times kernels (9 x K).
        var flattened = Im2Col.Expand(images, batch, grid);
        var kernelOutput = new double[batch * layout.Positions * numKernels];
        for (int row = 0; row < batch * layout.Positions; row++)
        {
            for (int k = 0; k < numKernels; k++)
            {
                for (int i = 0; i < area; i++)
                    kernelOutput[row * numKernels + k] += flattened[row * area + i] * kernels[i * numKernels + k];
            }
        }

        var convolved = TorchConv2d(images, layout.ConvWeightFromKernels(kernels), batch, layout);
        AssertClose(layout.HiddenToTorch<double>(kernelOutput), convolved);

        // The check is sharp: the same weights read as weight[k, 0, c, r] give another convolution.
        var swapped = new double[area * numKernels];
        var weight = layout.ConvWeightFromKernels(kernels);
        for (int k = 0; k < numKernels; k++)
        {
            for (int r = 0; r < side; r++)
            {
                for (int c = 0; c < side; c++)
                    swapped[k * area + c * side + r] = weight[k * area + r * side + c];
            }
        }
        var wrong = TorchConv2d(images, swapped, batch, layout);
        Assert.True(wrong.Zip(convolved).Max(p => Math.Abs(p.First - p.Second)) > 1e-3, "a swapped kernel should convolve differently");

        Assert.Equal(kernels, layout.KernelsFromConvWeight(weight));
    }

    // torch.nn.functional.conv2d of (B, 1, 28, 28) images with a (K, 1, 3, 3) weight, cropped to the grid, flattened by TorchSharp.
    static double[] TorchConv2d(double[] images, double[] weight, int batch, NotebookLayout layout)
    {
        using var scope = NewDisposeScope();
        int g = layout.Grid, side = ScratchConfig.KernelSide;
        var x = tensor(images, new long[] { batch, 1, ScratchConfig.ImageSide, ScratchConfig.ImageSide }, float64);
        var w = tensor(weight, new long[] { layout.NumKernels, 1, side, side }, float64);
        var output = nn.functional.conv2d(x, w)[.., .., ..g, ..g].flatten(1);
        return output.contiguous().data<double>().ToArray();
    }

    // Sums of 9 products in TorchSharp's order and in the notebook's: equal to a few ULP of values below 10.
    static void AssertClose(double[] expected, double[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-14, $"[{i}]: {expected[i]:R} vs {actual[i]:R}");
    }

    [Fact]
    public void HiddenPermutationMatchesTorchFlattenOfNchw()
    {
        var layout = new NotebookLayout(3, 25);
        // An NHWC tensor (1, G, G, K) whose values are their own from-scratch index p*K + k...
        var nhwc = Enumerable.Range(0, layout.Hidden).Select(i => (double)i).ToArray();
        using var t = tensor(nhwc, new long[] { 1, 25, 25, 3 }, float64);
        // ...permuted by TorchSharp to NCHW and flattened, is what HiddenToTorch produces.
        using var nchw = t.permute(0, 3, 1, 2).contiguous().flatten(1);
        Assert.Equal(nchw.data<double>().ToArray(), layout.HiddenToTorch<double>(nhwc));
        Assert.Equal(nhwc, layout.HiddenFromTorch<double>(layout.HiddenToTorch<double>(nhwc)));
    }

    [Fact]
    public void DenseWeightsRoundTripAndGiveTheSameLogits()
    {
        var layout = new NotebookLayout(2, 26);
        var rng = new Random(7);
        var dense = Enumerable.Range(0, layout.Hidden * 10).Select(_ => rng.NextDouble() - 0.5).ToArray();
        var hidden = Enumerable.Range(0, layout.Hidden).Select(_ => rng.NextDouble()).ToArray();
        Assert.Equal(dense, layout.DenseFromLinearWeight(layout.LinearWeightFromDense(dense)));

        using var w = tensor(layout.LinearWeightFromDense(dense), new long[] { 10, layout.Hidden }, float64);
        using var h = tensor(layout.HiddenToTorch<double>(hidden), new long[] { 1, layout.Hidden }, float64);
        using var logits = h.matmul(w.t());
        var torchLogits = logits.data<double>().ToArray();
        for (int j = 0; j < 10; j++)
        {
            double expected = 0;
            for (int i = 0; i < layout.Hidden; i++) expected += hidden[i] * dense[i * 10 + j];
            Assert.Equal(expected, torchLogits[j], 1e-12);
        }
    }

    /// <summary>The notebook's weights, mapped to the spec's layout and loaded into the ch10 spec twin, come back bit for bit.</summary>
    [Fact]
    public void TwinStartsFromTheNotebooksWeightsBitForBit()
    {
        var config = ScratchConfig.SeedNotebook;
        var spec = Core.Architecture.ArchitectureSpec.Chapter10(config.NumKernels, config.Grid);
        var scratch = ScratchNetwork.Initialize(config, new Core.NumPy.NumPyRandomState(1));
        var parameters = NotebookParameters.FromNotebook(spec, scratch);
        using var twin = new CnnParity.Torch.Twin.SpecTwin(spec, float64);
        foreach (var p in spec.Parameters) twin.Load(p, parameters[p.Name]);
        var back = NotebookParameters.ToNotebook(Core.Engines.ParameterSet<double>.FromArrays(spec, [.. spec.Parameters.Select(p => twin.Values(p.Name))]), config);
        Assert.Equal(scratch.Kernels, back.Kernels);
        Assert.Equal(scratch.WeightsOneTwo, back.WeightsOneTwo);
    }

    [Fact]
    public void RejectsMismatchedSizes() =>
        Assert.Throws<ArgumentException>(() => new NotebookLayout(4, 26).ConvWeightFromKernels(new double[35]));
}
