using CnnParity.Core.Scratch;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests;

/// <summary>The layout mapping between the from-scratch tensors and TorchSharp's, checked against TorchSharp itself.</summary>
public class TwinLayoutTests
{
    [Theory]
    [InlineData(4, 26)]
    [InlineData(3, 25)]
    public void KernelsMapToConvWeightAndBack(int kernels, int grid)
    {
        var layout = new TwinLayout(kernels, grid);
        var k = Enumerable.Range(0, 9 * kernels).Select(i => (double)i).ToArray();
        var weight = layout.ConvWeightFromKernels(k);
        // kernels[r*3+c, k] == weight[k, 0, r, c]
        for (int r = 0; r < 3; r++)
            for (int c = 0; c < 3; c++)
                for (int j = 0; j < kernels; j++)
                    Assert.Equal(k[(r * 3 + c) * kernels + j], weight[j * 9 + r * 3 + c]);
        Assert.Equal(k, layout.KernelsFromConvWeight(weight));
    }

    [Fact]
    public void HiddenPermutationMatchesTorchFlattenOfNchw()
    {
        var layout = new TwinLayout(3, 25);
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
        var layout = new TwinLayout(2, 26);
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

    [Fact]
    public void TwinStartsFromTheScratchWeightsBitForBit()
    {
        var config = ScratchConfig.SeedNotebook;
        var scratch = ScratchNetwork.Initialize(config, new Core.NumPy.NumPyRandomState(1));
        using var twin = new TwinNetwork(new TwinLayout(config.NumKernels, config.Grid), float64);
        twin.LoadScratchWeights(scratch.Kernels, scratch.WeightsOneTwo);
        var (kernels, dense) = twin.ExportScratchWeights();
        Assert.Equal(scratch.Kernels, kernels);
        Assert.Equal(scratch.WeightsOneTwo, dense);
    }

    [Fact]
    public void RejectsMismatchedSizes() =>
        Assert.Throws<ArgumentException>(() => new TwinLayout(4, 26).ConvWeightFromKernels(new double[35]));
}
