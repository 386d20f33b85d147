using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Testing;

namespace CnnParity.Core.Tests.Scratch;

/// <summary>Properties of the network that need no MNIST: layout, determinism across threads, gradients.</summary>
public class ScratchNetworkTests
{
    /// <summary>Synthetic 28x28 "images" from the NumPy stream: enough to exercise every code path.</summary>
    private static ScratchData Synthetic(int train, int test, uint seed = 99)
    {
        var rs = new NumPyRandomState(seed);
        double[] Images(int n)
        {
            var x = new double[n * ScratchConfig.Pixels];
            for (int i = 0; i < x.Length; i++)
            {
                x[i] = rs.RandInt(0, 256) / 255.0;
            }
            return x;
        }
        byte[] Labels(int n) => Enumerable.Range(0, n).Select(_ => (byte)rs.RandInt(0, 10)).ToArray();
        return new ScratchData(Images(train), Labels(train), Images(test), Labels(test));
    }

    [Fact]
    public void Im2Col_rows_are_positions_row_major_and_columns_the_section_row_major()
    {
        double[] images = Enumerable.Range(0, 2 * 784).Select(i => (double)i).ToArray();
        double[] flat = Im2Col.Expand(images, 2, 26);
        Assert.Equal(2 * 676 * 9, flat.Length);
        // image 1, position (r=3, c=5), section pixel (dr=2, dc=1) = pixel (5, 6) of image 1
        int row = 676 + 3 * 26 + 5;
        Assert.Equal(784 + 5 * 28 + 6, flat[row * 9 + 2 * 3 + 1]);
        double[] book = Im2Col.Expand(images, 1, 25);
        Assert.Equal(24 * 28 + 24 + 2 * 28 + 2, book[(24 * 25 + 24) * 9 + 8]);
    }

    [Fact]
    public void Initialisation_draws_kernels_then_weights_in_numpy_order()
    {
        var config = new ScratchConfig { NumKernels = 3, Grid = 4 };
        var net = ScratchNetwork.Initialize(config, new NumPyRandomState(1));
        var rs = new NumPyRandomState(1);
        var u = new double[27 + 16 * 3 * 10];
        rs.RandomSample(u);
        Assert.Equal(u.Take(27).Select(v => 0.02 * v - 0.01), net.Kernels);
        Assert.Equal(u.Skip(27).Select(v => 0.2 * v - 0.1), net.WeightsOneTwo);
    }

    [Theory]
    [InlineData(TrainingMode.Book)]
    [InlineData(TrainingMode.Corrected)]
    public void Any_thread_count_gives_the_same_bits(TrainingMode mode)
    {
        ScratchData data = Synthetic(40, 30);
        var config = new ScratchConfig { NumKernels = 3, Grid = 26, BatchSize = 16, TrainCount = 40, TestCount = 30, Epochs = 2, TestChunk = 7, Mode = mode };
        ScratchTrainer Run(int threads)
        {
            var t = new ScratchTrainer(config with { Threads = threads }, data);
            t.Run();
            return t;
        }
        ScratchTrainer one = Run(1), three = Run(3);
        Golden.AssertBitwise("kernels", one.Network.Kernels, three.Network.Kernels);
        Golden.AssertBitwise("weights_1_2", one.Network.WeightsOneTwo, three.Network.WeightsOneTwo);
        Golden.AssertBitwise("test logits", one.Network.TestLogits(data.TestImages, 30), three.Network.TestLogits(data.TestImages, 30));
    }

    [Fact]
    public void Batched_test_logits_equal_one_image_at_a_time()
    {
        ScratchData data = Synthetic(1, 13);
        var net = ScratchNetwork.Initialize(new ScratchConfig { TestChunk = 5 }, new NumPyRandomState(4));
        var single = ScratchNetwork.Initialize(new ScratchConfig { TestChunk = 1, Threads = 1 }, new NumPyRandomState(4));
        Golden.AssertBitwise("logits", single.TestLogits(data.TestImages, 13), net.TestLogits(data.TestImages, 13));
    }

    /// <summary>The test pass's hidden layer draws no mask: it is the training pass's kernel_output and tanh, bit for bit.</summary>
    [Fact]
    public void Hidden_layer_without_dropout_is_the_training_pass_before_its_mask()
    {
        ScratchData data = Synthetic(6, 1);
        var config = new ScratchConfig { BatchSize = 6, TrainCount = 6 };
        var net = ScratchNetwork.Initialize(config, new NumPyRandomState(3));
        var training = new BatchState(config, 6);
        net.Forward(training, data.TrainImages, new NumPyRandomState(5));
        var test = new BatchState(config, 6);

        net.HiddenLayer(test, data.TrainImages);

        Golden.AssertBitwise("kernel_output", training.KernelOutput, test.KernelOutput);
        Golden.AssertBitwise("layer_1 (tanh)", training.Layer1Tanh, test.Layer1Tanh);
        Assert.All(test.DropoutMask, m => Assert.Equal(0.0, m)); // no mask drawn
        Assert.All(test.Logits, l => Assert.Equal(0.0, l));       // nothing past the hidden layer
    }

    [Fact]
    public void Book_dense_step_is_exactly_minus_alpha_times_the_true_gradient()
    {
        ScratchData data = Synthetic(8, 1);
        var config = new ScratchConfig { NumKernels = 2, Grid = 6, BatchSize = 8, TrainCount = 8 };
        var net = ScratchNetwork.Initialize(config, new NumPyRandomState(2));
        var s = new BatchState(config, 8);
        net.Forward(s, data.TrainImages, new NumPyRandomState(3));
        CorrectedGradients g = net.CorrectedBackward(s, data.TrainOneHot);
        net.Clone().BookUpdate(s, data.TrainOneHot);
        // Equal as numbers; only the sign of zero may differ (a dropped unit gives +0 in both, negated in one).
        for (int i = 0; i < s.WeightsUpdate.Length; i++)
        {
            Assert.True(s.WeightsUpdate[i] == -config.Alpha * g.DWeights[i], $"weights update [{i}]");
        }
    }

    [Fact]
    public void Corrected_gradients_match_central_finite_differences()
    {
        ScratchData data = Synthetic(5, 1);
        var config = new ScratchConfig { NumKernels = 2, Grid = 5, BatchSize = 5, TrainCount = 5 };
        var net = ScratchNetwork.Initialize(config, new NumPyRandomState(6));
        // Larger weights than the init, so that tanh' and the softmax are far from linear.
        for (int i = 0; i < net.Kernels.Length; i++)
        {
            net.Kernels[i] *= 40;
        }
        var mask = new double[5 * config.Hidden];
        new NumPyRandomState(8).RandInt(0, 2, mask);
        var s = new BatchState(config, 5);

        double Loss()
        {
            net.Forward(s, data.TrainImages, mask);
            return net.CorrectedBackward(s, data.TrainOneHot).Loss;
        }
        net.Forward(s, data.TrainImages, mask);
        CorrectedGradients g = net.CorrectedBackward(s, data.TrainOneHot);

        int[] kernels = [.. Enumerable.Range(0, net.Kernels.Length)];
        int[] weights = [.. Enumerable.Range(0, net.WeightsOneTwo.Length).Where(i => i % 7 == 0)];
        double[] numericKernels = FiniteDifferences.Central(net.Kernels, Loss, kernels);
        double[] numericWeights = FiniteDifferences.Central(net.WeightsOneTwo, Loss, weights);
        double scale = g.DKernels.Concat(g.DWeights).Max(Math.Abs);
        for (int n = 0; n < kernels.Length; n++)
        {
            Assert.True(Math.Abs(numericKernels[n] - g.DKernels[kernels[n]]) <= 1e-6 * scale, $"dKernels[{kernels[n]}]");
        }
        for (int n = 0; n < weights.Length; n++)
        {
            Assert.True(Math.Abs(numericWeights[n] - g.DWeights[weights[n]]) <= 1e-6 * scale, $"dWeights[{weights[n]}]");
        }
    }

    [Fact]
    public void Notebook_log_line_format()
    {
        Assert.Equal("I: 0 | Test-Acc: 0.0548 | Train-Acc: 0.076", NotebookLog.Line(0, 548 / 10000.0, 76 / 1000.0));
        Assert.Equal("I: 299 | Test-Acc: 0.1 | Train-Acc: 1.0", new EpochResult(299, 1000, 10000, 1000, 1000, default, default).LogLine);
    }

    [Fact]
    public void Bad_configuration_is_a_user_error()
    {
        Assert.Throws<CnnParityException>(() => new ScratchConfig { Grid = 27 }.Validate());
        Assert.Throws<CnnParityException>(() => new ScratchConfig { NumKernels = 0 }.Validate());
        Assert.Throws<CnnParityException>(() => new ScratchTrainer(new ScratchConfig(), Synthetic(10, 10)));
    }
}
