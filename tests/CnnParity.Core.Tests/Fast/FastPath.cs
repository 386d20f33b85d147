using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// Runs the faithful path (<see cref="ScratchNetwork"/>) and the fast path (<see cref="FastNetwork"/>) in lockstep,
/// batch by batch from the same seed, and holds every tensor of every batch, the weights after each update and the
/// test logits of each epoch to the same bits.
/// </summary>
internal static class FastPath
{
    /// <summary>
    /// MNIST-like images from the NumPy stream: a zero border, strokes in the middle with many zero pixels, a few
    /// pixels at exactly 1.0, and some blank images (no section to compute at all).
    /// </summary>
    public static ScratchData Synthetic(int train, int test, uint seed = 99)
    {
        var rs = new NumPyRandomState(seed);
        double[] Images(int n)
        {
            var x = new double[n * ScratchConfig.Pixels];
            for (int i = 0; i < n; i++)
            {
                if (i % 11 == 5)
                {
                    continue; // blank
                }
                for (int r = 4; r < 24; r++)
                {
                    for (int c = 4; c < 24; c++)
                    {
                        long v = rs.RandInt(0, 512);
                        x[i * ScratchConfig.Pixels + r * 28 + c] = v < 320 ? 0 : Math.Min(v - 256, 255) / 255.0;
                    }
                }
            }
            return x;
        }
        byte[] Labels(int n) => Enumerable.Range(0, n).Select(_ => (byte)rs.RandInt(0, 10)).ToArray();
        return new ScratchData(Images(train), Labels(train), Images(test), Labels(test));
    }

    /// <summary>Both vector widths, whatever the CPU (without AVX-512, .NET runs the 512-bit code in software).</summary>
    public static readonly VectorWidth[] Widths = [VectorWidth.Bits256, VectorWidth.Bits512];

    /// <summary>
    /// Trains both paths for <see cref="ScratchConfig.Epochs"/> epochs, the fast one at <paramref name="width"/>, and fails
    /// at the first tensor whose bits differ; returns how many batches were compared. <paramref name="prepare"/> may change
    /// the initial weights (the same change on both).
    /// </summary>
    public static int Lockstep(ScratchConfig config, ScratchData data, VectorWidth width, Action<ScratchNetwork>? prepare = null, bool anyNaN = false)
    {
        Assertion = anyNaN ? AssertBitsOrBothNaN : Golden.AssertBitwise;
        var faithfulRandom = new NumPyRandomState(config.Seed);
        var faithful = ScratchNetwork.Initialize(config, faithfulRandom);
        var fastRandom = new NumPyRandomState(config.Seed);
        var fast = FastNetwork.Initialize(config, fastRandom, width);
        prepare?.Invoke(faithful);
        prepare?.Invoke(fast.Network);
        Assertion("initial weights_1_2", faithful.WeightsOneTwo, fast.Network.WeightsOneTwo);

        int b = config.BatchSize, batches = 0;
        var expected = new BatchState(config, b);
        var actual = new BatchState(config, b);
        var batch = new FastBatch(config, b) { AllTensors = true };
        for (int epoch = 0; epoch < config.Epochs; epoch++)
        {
            for (int i = 0; i < config.BatchesPerEpoch; i++)
            {
                string at = $"epoch {epoch} batch {i}";
                ReadOnlySpan<double> images = data.TrainImages.AsSpan(i * b * ScratchConfig.Pixels, b * ScratchConfig.Pixels);
                ReadOnlySpan<double> labels = data.TrainOneHot.AsSpan(i * b * ArchitectureSpec.Classes, b * ArchitectureSpec.Classes);
                faithful.Forward(expected, images, faithfulRandom);
                fast.Forward(batch, images, fastRandom);
                if (config.Mode == TrainingMode.Book)
                {
                    faithful.BookUpdate(expected, labels);
                    fast.BookUpdate(batch, labels);
                }
                else
                {
                    CorrectedGradients g = faithful.CorrectedBackward(expected, labels);
                    CorrectedGradients h = fast.CorrectedBackward(batch, labels);
                    Compare(at, g, h);
                    faithful.ApplyCorrected(g);
                    fast.ApplyCorrected(h);
                }
                fast.Export(batch, actual);
                Compare(at, expected, actual);
                Assertion($"{at}: kernels after the update", faithful.Kernels, fast.Network.Kernels);
                Assertion($"{at}: weights_1_2 after the update", faithful.WeightsOneTwo, fast.Network.WeightsOneTwo);
                Assert.True(faithfulRandom.Clone().NextUInt64() == fastRandom.Clone().NextUInt64(), $"{at}: the random streams went apart");
                batches++;
            }
            Assertion($"epoch {epoch}: test logits", faithful.TestLogits(data.TestImages, config.TestCount),
                fast.TestLogits(data.TestImages, config.TestCount));
            Assert.Equal(faithful.CountTestCorrect(data.TestImages, data.TestLabels, config.TestCount),
                fast.CountTestCorrect(data.TestImages, data.TestLabels, config.TestCount));
        }
        return batches;
    }

    private delegate void Check(string name, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual);

    [ThreadStatic]
    private static Check? _assertion;

    private static Check Assertion
    {
        get => _assertion ?? Golden.AssertBitwise;
        set => _assertion = value;
    }

    /// <summary>
    /// Bitwise, except that a NaN matches any NaN: which NaN an operation on two NaNs returns depends on the order
    /// in which the JIT feeds a commutative instruction its operands, which C# does not fix (nor does C for NumPy).
    /// </summary>
    public static void AssertBitsOrBothNaN(string name, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            if (double.IsNaN(expected[i]) && double.IsNaN(actual[i]))
            {
                continue;
            }
            Assert.True(BitConverter.DoubleToInt64Bits(expected[i]) == BitConverter.DoubleToInt64Bits(actual[i]),
                $"{name}: [{i}] is {actual[i]:R}, expected {expected[i]:R}");
        }
    }

    private static void Compare(string at, BatchState expected, BatchState actual)
    {
        (string Name, double[] Expected, double[] Actual)[] pairs =
        [
            ("layer_0", expected.Layer0, actual.Layer0),
            ("flattened_input", expected.FlattenedInput, actual.FlattenedInput),
            ("kernel_output", expected.KernelOutput, actual.KernelOutput),
            ("layer_1_tanh", expected.Layer1Tanh, actual.Layer1Tanh),
            ("dropout_mask", expected.DropoutMask, actual.DropoutMask),
            ("layer_1", expected.Layer1, actual.Layer1),
            ("logits", expected.Logits, actual.Logits),
            ("layer_2", expected.Layer2, actual.Layer2),
            ("layer_2_delta", expected.Layer2Delta, actual.Layer2Delta),
            ("layer_1_delta", expected.Layer1Delta, actual.Layer1Delta),
            ("weights_1_2_update", expected.WeightsUpdate, actual.WeightsUpdate),
            ("k_update", expected.KernelsUpdate, actual.KernelsUpdate),
        ];
        foreach (var (name, e, a) in pairs)
        {
            Assertion($"{at}: {name}", e, a);
        }
    }

    private static void Compare(string at, CorrectedGradients expected, CorrectedGradients actual)
    {
        Assertion($"{at}: loss", [expected.Loss], [actual.Loss]);
        Assertion($"{at}: dlogits", expected.DLogits, actual.DLogits);
        Assertion($"{at}: dlayer_1", expected.DLayer1, actual.DLayer1);
        Assertion($"{at}: dkernel_output", expected.DKernelOutput, actual.DKernelOutput);
        Assertion($"{at}: dweights", expected.DWeights, actual.DWeights);
        Assertion($"{at}: dkernels", expected.DKernels, actual.DKernels);
    }
}
