using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// Both kinds of engine behind <see cref="ITrainingEngine"/>: the chapter-10 trainers give through the adapter exactly
/// what they give on their own; the spec trainer repeats itself bit for bit whatever the thread count, in float64 and
/// float32, and reports what it ran. Synthetic images: no MNIST needed.
/// </summary>
public class TrainingEngineTests
{
    /// <summary>Synthetic images and labels: no MNIST needed.</summary>
    internal static ScratchData Synthetic(int train, int test, uint seed = 4)
    {
        (double[] trainImages, byte[] trainLabels) = SpecNetworkTests.Batch(train, seed);
        (double[] testImages, byte[] testLabels) = SpecNetworkTests.Batch(test, seed + 1);
        return new ScratchData(trainImages, trainLabels, testImages, testLabels);
    }

    [Theory]
    [InlineData(ScratchEngine.Fast, TrainingMode.Book)]
    [InlineData(ScratchEngine.Faithful, TrainingMode.Book)]
    [InlineData(ScratchEngine.Fast, TrainingMode.Corrected)]
    public void Chapter10_adapter_changes_no_number(ScratchEngine engine, TrainingMode mode)
    {
        ScratchData data = Synthetic(24, 20);
        var config = new ScratchConfig { NumKernels = 2, BatchSize = 8, TrainCount = 24, TestCount = 20, Epochs = 2, Engine = engine, Mode = mode, Threads = 2 };
        var alone = new ScratchTrainer(config, data);
        var adapted = new Chapter10Engine(new ScratchTrainer(config, data));
        Assert.Equal(engine == ScratchEngine.Fast ? "ch10-fast" : "ch10-faithful", adapted.Name);
        for (int epoch = 0; epoch < 2; epoch++)
        {
            EpochResult expected = alone.RunEpoch();
            EpochOutcome outcome = adapted.RunEpoch();
            Assert.Equal((expected.Epoch, expected.TrainCorrect, expected.TrainCount, expected.TestCorrect, expected.TestCount),
                (outcome.Epoch, outcome.TrainCorrect, outcome.TrainCount, outcome.TestCorrect, outcome.TestCount));
            Assert.Equal(mode == TrainingMode.Corrected, outcome.TrainLoss.HasValue);
        }
        Assert.Equal(2, adapted.EpochsCompleted);
        Golden.AssertBitwise("kernels", alone.Network.Kernels, adapted.Trainer.Network.Kernels);
        Golden.AssertBitwise("weights", alone.Network.WeightsOneTwo, adapted.Trainer.Network.WeightsOneTwo);
        Golden.AssertBitwise("test logits", alone.Network.TestLogits(data.TestImages, 20), adapted.TestLogits(20));
    }

    [Theory]
    [InlineData(Dtype.Float64)]
    [InlineData(Dtype.Float32)]
    public void Spec_trainer_repeats_itself_for_any_thread_count(Dtype dtype)
    {
        ScratchData data = Synthetic(40, 30);
        var options = new SpecTrainerOptions(ArchitectureSpec.Parse(SpecNetworkTests.EveryKind))
        {
            Dtype = dtype, BatchSize = 16, TrainCount = 40, TestCount = 30, Epochs = 2, Momentum = 0.9, Seed = 3,
        };
        var outcomes = new List<string>();
        var logits = new List<double[]>();
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var trainer = new SpecTrainer(options with { Threads = threads }, data);
            var losses = new List<double>();
            trainer.BatchCompleted = step => losses.Add(step.Loss);
            EpochOutcome a = trainer.RunEpoch(), b = trainer.RunEpoch();
            Assert.Equal(4, losses.Count); // 2 whole batches of 16 per epoch; the 8 left over are not trained
            Assert.Equal((32, 30), (a.TrainCount, a.TestCount));
            Assert.Equal((losses[0] + losses[1]) / 2, a.TrainLoss);
            outcomes.Add($"{a.TrainLoss:R} {a.TrainCorrect} {a.TestCorrect} {b.TrainLoss:R} {b.TrainCorrect} {b.TestCorrect}");
            logits.Add(trainer.TestLogits(30));
            Assert.Equal($"scratch-{dtype.ShortName()} {options.Spec.DisplayName}", trainer.Name);
        }
        Assert.Equal(outcomes[0], outcomes[1]);
        Assert.Equal(outcomes[0], outcomes[2]);
        Golden.AssertBitwise("test logits, 2 threads", logits[0], logits[1]);
        Golden.AssertBitwise("test logits, 3 threads", logits[0], logits[2]);
        Assert.Equal(300, logits[0].Length);
    }

    [Fact]
    public void Spec_trainer_starts_from_the_numpy_draw_and_refuses_bad_options()
    {
        ScratchData data = Synthetic(16, 4);
        var spec = ArchitectureSpec.Parse("lenet5");
        var trainer = new SpecTrainer(new SpecTrainerOptions(spec) { BatchSize = 8, TrainCount = 16, TestCount = 4, Dtype = Dtype.Float32 }, data);
        ParameterSet<double> drawn = ParameterSet<double>.Initialize(spec, new NumPyRandomState(1));
        Golden.AssertBitwise("initial conv1.weight", drawn["conv1.weight"], trainer.InitialParameters["conv1.weight"]);
        Assert.Equal((double)(float)drawn["dense3.bias"][2], trainer.CurrentParameters()["dense3.bias"][2]);
        Assert.Throws<CnnParityException>(() => new SpecTrainer(new SpecTrainerOptions(spec) { BatchSize = 32, TrainCount = 16, TestCount = 4 }, data));
        Assert.Throws<CnnParityException>(() => new SpecTrainer(new SpecTrainerOptions(spec) { TrainCount = 100, TestCount = 4, BatchSize = 8 }, data));
        Assert.Throws<CnnParityException>(() => new SpecTrainer(new SpecTrainerOptions(spec) { TrainCount = 16, TestCount = 4, BatchSize = 8, Momentum = 1 }, data));
    }

    /// <summary>
    /// A run from given start weights: from the drawn weights it is the same run bit for bit; from other weights only the
    /// start differs — the masks come from the seed's stream as in any run of these options.
    /// </summary>
    [Fact]
    public void Spec_trainer_started_elsewhere_keeps_the_seeds_masks()
    {
        ScratchData data = Synthetic(32, 10);
        var options = new SpecTrainerOptions(ArchitectureSpec.Parse(SpecNetworkTests.EveryKind))
        {
            BatchSize = 16, TrainCount = 32, TestCount = 10, Epochs = 1, Momentum = 0.9, Seed = 3, Threads = 2,
        };
        var drawn = new SpecTrainer(options, data);
        var masks = new List<DropoutMasks>();
        drawn.BatchCompleted = step => masks.Add(step.Masks);
        var same = new SpecTrainer(options, data, drawn.InitialParameters);
        var moved = drawn.InitialParameters.Clone();
        moved[0][0] += 0.25;
        var elsewhere = new SpecTrainer(options, data, moved);
        var elsewhereMasks = new List<DropoutMasks>();
        elsewhere.BatchCompleted = step => elsewhereMasks.Add(step.Masks);

        drawn.RunEpoch();
        same.RunEpoch();
        elsewhere.RunEpoch();

        Assert.Equal(0.25, elsewhere.InitialParameters[0][0] - drawn.InitialParameters[0][0], 15);
        foreach (var p in options.Spec.Parameters)
            Golden.AssertBitwise(p.Name, drawn.CurrentParameters()[p.Name], same.CurrentParameters()[p.Name]);
        Assert.NotEqual(drawn.CurrentParameters()[0], elsewhere.CurrentParameters()[0]);
        Assert.Equal(2, masks.Count);
        foreach (var (a, b) in masks.Zip(elsewhereMasks))
            foreach (string layer in a.LayerNames)
                Golden.AssertBitwise(layer, a[layer], b[layer]);
        Assert.Throws<ArgumentException>(() => new SpecTrainer(options, data, ParameterSet<double>.Initialize(ArchitectureSpec.Parse("lenet5"), new NumPyRandomState(1))));
    }

    /// <summary>A run that needs more images than the data holds is refused in one sentence, before anything is drawn.</summary>
    [Fact]
    public void A_run_larger_than_its_data_is_refused()
    {
        var options = new SpecTrainerOptions(ArchitectureSpec.Parse("conv(c=2,k=3) flatten dense(10)")) { BatchSize = 8, TrainCount = 32, TestCount = 10 };
        var e = Assert.Throws<CnnParityException>(() => new SpecTrainer(options, Synthetic(16, 10)));
        Assert.Equal("the data holds 16 training and 10 test images; the run needs 32 and 10", e.Message);
    }
}
