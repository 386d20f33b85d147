using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity;
using CnnParity.Torch;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Parity.Tests;

/// <summary>
/// A long TorchSharp run keeps the number of live native tensors flat. The counter is TorchSharp's own
/// bookkeeping of the tensors made on this thread and not yet disposed
/// (DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount). Unlike the process-wide
/// Tensor.TotalCount it does not fall when a finaliser frees a tensor that was dropped undisposed, so such a tensor
/// counts as the leak it is (its native memory waits for a GC that native memory never triggers), whatever the GC
/// does; and tests running on other threads cannot move it. It is read after every epoch of 50 steps; after a
/// warm-up epoch it must not move by a single tensor, so a leak of one tensor per batch shows as +50 per epoch.
/// One assertion reads the process-wide Tensor.TotalCount, which tests on other threads move: the class runs alone.
/// </summary>
[Collection(nameof(NativeMemoryTests))]
public class NativeMemoryTests
{
    const int Epochs = 4; // the first is the warm-up; 150 steps are checked after it
    static readonly ScratchConfig Config = ScratchConfig.SeedNotebook with
    {
        Epochs = Epochs, TrainCount = 400, BatchSize = 8, TestCount = 100, Threads = 2,
    };

    [SkippableTheory]
    [InlineData(Dtype.Float64)]
    [InlineData(Dtype.Float32)]
    public void LockstepTrainingKeepsLiveTensorsFlat(Dtype dtype)
    {
        var data = RealData.Load(Config.TestCount);
        var counts = new List<long>();

        var result = LockstepTraining.Run(Config, data, dtype, _ => counts.Add(LiveTensors));

        Assert.Null(result.Twin.Diverged);
        AssertFlat(counts);
    }

    [SkippableFact]
    public void IdiomaticTrainingKeepsLiveTensorsFlat()
    {
        var data = RealData.Load(Config.TestCount);
        var counts = new List<long>();

        var result = IdiomaticTraining.Run(Config, data, Dtype.Float64, _ => counts.Add(LiveTensors));

        Assert.Null(result.Diverged);
        AssertFlat(counts);
    }

    [SkippableFact]
    public void TwinStepsKeepLiveTensorsFlat() => AssertFlat(CountsAfterEachEpochOfTwinSteps(RealData.Load(Config.TestCount), leak: null));

    /// <summary>The counter and the check are sharp enough: one tensor per step kept alive is caught, and counted exactly.</summary>
    [SkippableFact]
    public void ALeakOfOneTensorPerStepIsCaught()
    {
        var data = RealData.Load(Config.TestCount);
        var leaked = new List<Tensor>();
        try
        {
            var counts = CountsAfterEachEpochOfTwinSteps(data, leak: () => leaked.Add(zeros(1)));

            Assert.ThrowsAny<Xunit.Sdk.XunitException>(() => AssertFlat(counts));
            for (int e = 1; e < counts.Count; e++)
                Assert.Equal(Config.BatchesPerEpoch, counts[e] - counts[e - 1]);
        }
        finally
        {
            leaked.ForEach(t => t.Dispose());
        }
    }

    /// <summary>A tensor dropped undisposed counts as leaked even after the finaliser has freed it (Tensor.TotalCount forgets it).</summary>
    [SkippableFact]
    public void ATensorLeftToTheFinaliserIsCaughtToo()
    {
        var data = RealData.Load(Config.TestCount);
        long totalBefore = Tensor.TotalCount;
        int steps = 0;
        var counts = CountsAfterEachEpochOfTwinSteps(data, leak: () =>
        {
            zeros(1); // dropped, never disposed
            if (++steps % Config.BatchesPerEpoch == 0)
            {
                GC.Collect();
                GC.WaitForPendingFinalizers();
            }
        });

        for (int e = 1; e < counts.Count; e++)
            Assert.Equal(Config.BatchesPerEpoch, counts[e] - counts[e - 1]);
        Assert.True(Tensor.TotalCount - totalBefore < Config.BatchesPerEpoch, "the finaliser should have freed the dropped tensors");
    }

    /// <summary>A trainer owns its network: disposing the trainer frees the network's native parameters too, at once.</summary>
    [Fact]
    public void DisposingATrainerFreesTheNetworkItTrains()
    {
        var twin = new TwinNetwork(new NotebookLayout(4, 26), float64);
        Tensor conv = twin.ConvWeight, linear = twin.LinearWeight;
        var trainer = new TwinTrainer(twin, Config.Alpha);
        Assert.False(conv.IsInvalid || linear.IsInvalid);

        trainer.Dispose();

        Assert.True(conv.IsInvalid && linear.IsInvalid, "the network's parameters outlived its trainer");
        trainer.Dispose(); // a second dispose (a caller's `using` of the network too) is harmless
    }

    /// <summary>The twin's SGD step on every batch, as lockstep training calls it, plus an optional leak per step.</summary>
    static List<long> CountsAfterEachEpochOfTwinSteps(ScratchData data, Action? leak)
    {
        var setup = new ParitySetup(Config, data);
        using var trainer = new TwinTrainer(setup.Twin(setup.Initial, Dtype.Float64), Config.Alpha);
        int b = Config.BatchSize;
        var keepAll = Enumerable.Repeat(1.0, b * Config.Hidden).ToArray();
        var counts = new List<long>();
        for (int e = 0; e < Epochs; e++)
        {
            for (int i = 0; i < Config.BatchesPerEpoch; i++)
            {
                trainer.Step(data.TrainImages.AsSpan(i * b * ScratchConfig.Pixels, b * ScratchConfig.Pixels),
                    data.TrainLabels.AsSpan(i * b, b), keepAll);
                leak?.Invoke();
            }
            counts.Add(LiveTensors);
        }
        return counts;
    }

    /// <summary>After the warm-up epoch, the count after every later epoch equals the count after the warm-up.</summary>
    static void AssertFlat(IReadOnlyList<long> countsPerEpoch)
    {
        Assert.Equal(Epochs, countsPerEpoch.Count);
        for (int e = 1; e < countsPerEpoch.Count; e++)
            Assert.True(countsPerEpoch[e] == countsPerEpoch[0],
                $"live tensors after each epoch of {Config.BatchesPerEpoch} steps: {string.Join(", ", countsPerEpoch)}");
    }

    /// <summary>Tensors made on this thread and not disposed (the tests and the training run on one thread).</summary>
    static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
}

/// <summary>Runs <see cref="NativeMemoryTests"/> after every parallel test, with nothing else alive.</summary>
[CollectionDefinition(nameof(NativeMemoryTests), DisableParallelization = true)]
public sealed class NativeMemoryCollection;
