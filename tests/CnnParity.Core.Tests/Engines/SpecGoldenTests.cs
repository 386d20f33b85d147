using System.Text.Json;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Testing;
using CnnParity.Testing.NumPy;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The float64 engine against reference/spec_reference.py's goldens (reference/golden/spec/*: the presets lenet5 and
/// lenet5-relu, and every-kind, a small spec with stride 2, sigmoid, overlapping average pooling, dropout and a
/// convolution without bias; modern-kinds, the layer kinds of issue 22: relu6, grouped and depthwise conv, gap, batch norm with its running statistics): two SGD steps with momentum from seed 1, batch 8; and every-kind-schedule, three shuffled
/// epochs with a decaying rate. What each tensor is held to:
/// <list type="bullet">
/// <item>every layer's output, the logits, every gradient and every weight after each step: <b>bitwise</b> — the
/// reference sums in the engine's orders, and tanh and exp are NumPy's own kernels, ported;</item>
/// <item>the loss: within <see cref="LossTolerance"/> — it alone takes a log, and NumPy's AVX-512 <c>np.log</c> is not
/// ported (the engine calls glibc's). The log feeds nothing else: the gradient needs only exp.</item>
/// </list>
/// The goldens carry their own pixels and labels, so MNIST is not needed. The exp kernel is pinned to the one
/// run.json records (SVML: the goldens were made on an AVX512_SKX CPU).
/// </summary>
public class SpecGoldenTests(Xunit.Abstractions.ITestOutputHelper output)
{
    /// <summary>
    /// Relative distance allowed between the losses: glibc's log is within 1 ULP of the true value and NumPy's
    /// AVX-512 log within a few, so log(s) (about 2.3) may differ by ~1e-15; the sum of 8 and the division keep that
    /// size. 1e-13 leaves a margin of 100 and still catches any wrong term (a term is 1/8 of the loss).
    /// </summary>
    public const double LossTolerance = 1e-13;

    private const NumPyExpKernel Exp = NumPyExpKernel.Svml;

    public static TheoryData<string> Goldens => ["lenet5", "lenet5-relu", "every-kind", "modern-kinds"];

    [Theory]
    [MemberData(nameof(Goldens))]
    public void Float64_engine_matches_numpy(string golden)
    {
        string dir = Golden.PathOf("spec", golden);
        using JsonDocument run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        JsonElement config = run.RootElement.GetProperty("config");
        Assert.Equal("svml", run.RootElement.GetProperty("exp_kernel").GetString());
        var spec = ArchitectureSpec.Parse(config.GetProperty("spec").GetString()!);
        Assert.Equal(spec.Layers.Select(l => l.Name), run.RootElement.GetProperty("layers").EnumerateArray().Select(e => e.GetString()));
        int batch = config.GetProperty("batch").GetInt32(), rows = config.GetProperty("dump_rows").GetInt32();
        int steps = config.GetProperty("dump_batches").GetInt32();

        var random = new NumPyRandomState((uint)config.GetProperty("seed").GetInt32());
        ParameterSet<double> parameters = ParameterSet<double>.Initialize(spec, random);
        var net = new SpecNetwork<double>(spec, parameters, threads: 2, Exp);
        var sgd = new SgdOptimizer<double>(config.GetProperty("lr").GetDouble(), config.GetProperty("momentum").GetDouble());
        int bitwise = 0;
        for (int step = 0; step < steps; step++)
        {
            var tensors = Npz.Load(Path.Combine(dir, $"step_b{step}.npz"));
            double[] images = tensors["pixels"].ToByteArray().Select(p => p / 255.0).ToArray();
            byte[] labels = tensors["labels"].ToInt64Array().Select(l => (byte)l).ToArray();
            DropoutMasks masks = DropoutMasks.Draw(spec, batch, random);
            foreach (string name in masks.LayerNames)
            {
                Bitwise($"step {step} mask {name}", tensors[$"mask_{name}"].ToDoubleArray(), masks[name]);
            }
            ForwardPass<double> pass = net.Forward(images, batch, masks);
            foreach (SpecLayer layer in spec.Layers)
            {
                Bitwise($"step {step} {layer.Name}", tensors[$"out_{layer.Name}"].ToDoubleArray(), pass.Output(layer.Name).AsSpan(0, rows * layer.Output.Size));
            }
            Bitwise($"step {step} logits", tensors["logits"].ToDoubleArray(), pass.Logits);

            double expectedLoss = tensors["loss"].ToDoubleArray()[0], loss = net.Loss(pass, labels);
            output.WriteLine($"{golden} step {step} loss: NumPy {expectedLoss:R}, C# {loss:R}, {Ulp.Distance(expectedLoss, loss)} ULP apart (tolerance {LossTolerance:E0} relative)");
            Assert.True(Math.Abs(loss - expectedLoss) <= LossTolerance * Math.Abs(expectedLoss),
                $"step {step} loss: NumPy {expectedLoss:R}, C# {loss:R} (relative {Math.Abs(loss - expectedLoss) / expectedLoss:E2} > {LossTolerance:E0})");

            ParameterSet<double> gradients = net.Backward(pass, labels);
            sgd.Step(parameters, gradients);
            foreach (ParameterSpec p in spec.Parameters)
            {
                Bitwise($"step {step} gradient {p.Name}", tensors[$"grad_{p.Name}"].ToDoubleArray(), gradients[p.Name]);
                Bitwise($"step {step} {p.Name} after the step", tensors[$"after_{p.Name}"].ToDoubleArray(), parameters[p.Name]);
            }
            foreach (BufferSpec b in spec.Buffers)
            {
                Bitwise($"step {step} buffer {b.Name}", tensors[$"buffer_{b.Name}"].ToDoubleArray(), net.Buffer(b.Name));
            }
        }
        // Not vacuous: every layer output, the logits, two tensors per parameter, each step.
        Assert.Equal(steps * (spec.Layers.Count + 1 + 2 * spec.Parameters.Count + spec.Buffers.Count), bitwise);
        output.WriteLine($"{golden}: {bitwise} tensors bitwise equal to NumPy's over {steps} steps");

        void Bitwise(string name, double[] expected, ReadOnlySpan<double> actual)
        {
            Assert.True(expected.Length > 0, $"{name}: empty golden");
            Golden.AssertBitwise(name, expected, actual);
            bitwise += name.Contains(" mask ") ? 0 : 1;
        }
    }

    /// <summary>
    /// Three epochs of every-kind as the reports train LeNet-5 (reference/golden/spec/every-kind-schedule): shuffled each
    /// epoch, the permutation drawn from the stream between dropout masks; the rate halved after each epoch; momentum.
    /// Each epoch's order and the weights after the last step are bitwise NumPy's; the train and test counts equal; the
    /// mean losses within <see cref="LossTolerance"/> (NumPy's log, as above).
    /// </summary>
    [Fact]
    public void Shuffled_training_with_a_decaying_rate_matches_numpy_epoch_by_epoch()
    {
        string dir = Golden.PathOf("spec", "every-kind-schedule");
        using JsonDocument run = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "run.json")));
        JsonElement config = run.RootElement.GetProperty("config");
        Assert.True(config.GetProperty("shuffle").GetBoolean());
        var tensors = Npz.Load(Path.Combine(dir, "run.npz"));
        double[] Pixels(string name) => [.. tensors[name].ToByteArray().Select(p => p / 255.0)];
        byte[] Labels(string name) => [.. tensors[name].ToInt64Array().Select(l => (byte)l)];
        var data = new CnnParity.Core.Scratch.ScratchData(Pixels("train_pixels"), Labels("train_labels"), Pixels("test_pixels"), Labels("test_labels"));
        var options = new SpecTrainerOptions(ArchitectureSpec.Parse(config.GetProperty("spec").GetString()!))
        {
            BatchSize = config.GetProperty("batch").GetInt32(),
            LearningRate = config.GetProperty("lr").GetDouble(),
            LearningRateDecay = config.GetProperty("lr_decay").GetDouble(),
            Momentum = config.GetProperty("momentum").GetDouble(),
            Epochs = config.GetProperty("epochs").GetInt32(),
            Shuffle = true,
            TrainCount = data.TrainCount,
            TestCount = data.TestCount,
            Seed = (uint)config.GetProperty("seed").GetInt32(),
            Threads = 2,
            Exp = Exp,
        };
        Assert.True(options.LearningRateDecay < 1 && options.Momentum > 0, "the golden must exercise the decay and momentum");
        var trainer = new SpecTrainer(options, data);
        var orders = new Dictionary<int, TrainingOrder>();
        trainer.BatchCompleted = step => orders.TryAdd(step.Epoch, step.Order);
        string[] log = File.ReadAllLines(Path.Combine(dir, "log.txt"));
        Assert.Equal(options.Epochs, log.Length);
        for (int epoch = 0; epoch < options.Epochs; epoch++)
        {
            EpochOutcome outcome = trainer.RunEpoch();
            long[] expectedOrder = tensors[$"order_e{epoch}"].ToInt64Array();
            Assert.Equal(expectedOrder, Enumerable.Range(0, data.TrainCount).Select(i => (long)orders[epoch].ImageAt(i)));
            // "epoch 0: loss 2.3154480489439644 train 22/256 test 10/64"
            string[] words = log[epoch].Split(' ');
            double expectedLoss = double.Parse(words[3], System.Globalization.CultureInfo.InvariantCulture);
            Assert.Equal(words[5], $"{outcome.TrainCorrect}/{outcome.TrainCount}");
            Assert.Equal(words[7], $"{outcome.TestCorrect}/{outcome.TestCount}");
            double loss = outcome.TrainLoss ?? double.NaN;
            Assert.True(Math.Abs(loss - expectedLoss) <= LossTolerance * expectedLoss,
                $"epoch {epoch} mean loss: NumPy {expectedLoss:R}, C# {loss:R}");
        }
        ParameterSet<double> final = trainer.CurrentParameters();
        foreach (ParameterSpec p in options.Spec.Parameters)
        {
            Golden.AssertBitwise($"{p.Name} after {options.Epochs} epochs", tensors[$"final_{p.Name}"].ToDoubleArray(), final[p.Name]);
        }
    }

    [Fact]
    public void The_golden_comparison_can_fail()
    {
        // One weight off by one ULP before the first step changes the layer outputs the golden holds.
        string dir = Golden.PathOf("spec", "lenet5");
        var golden = Npz.Load(Path.Combine(dir, "step_b0.npz"));
        var spec = ArchitectureSpec.Parse("lenet5");
        ParameterSet<double> parameters = ParameterSet<double>.Initialize(spec, new NumPyRandomState(1));
        parameters["conv2.weight"][7] = Math.BitIncrement(parameters["conv2.weight"][7]);
        var net = new SpecNetwork<double>(spec, parameters, threads: 1, Exp);
        double[] images = golden["pixels"].ToByteArray().Select(p => p / 255.0).ToArray();
        ForwardPass<double> pass = net.Forward(images, 8, null);
        Assert.NotNull(Golden.BitwiseMismatch("logits", golden["logits"].ToDoubleArray(), pass.Logits));
    }
}
