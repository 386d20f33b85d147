using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Specs;
using CnnParity.Torch.Twin;
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

    // The chapter-10 network (the notebook's options) on 400 images in batches of 8: 50 steps an epoch.
    static readonly SpecTrainerOptions Config = new(ArchitectureSpec.Chapter10(4, 26))
    {
        Epochs = Epochs, TrainCount = 400, BatchSize = 8, TestCount = 100, Threads = 2, LearningRate = 2,
    };

    [SkippableTheory]
    [InlineData(Dtype.Float64)]
    [InlineData(Dtype.Float32)]
    public void LockstepTrainingKeepsLiveTensorsFlat(Dtype dtype)
    {
        var data = RealData.Load(Config.TestCount);
        var counts = new List<long>();
        var setup = SpecParitySetup.FromSeed(Config.Spec, data, SpecParitySettings.Of(Config with { Dtype = dtype }));

        var result = SpecLockstep.Run(setup, _ => counts.Add(LiveTensors));

        Assert.Null(result.Problem);
        AssertFlat(counts);
    }

    [SkippableFact]
    public void TheTwinTrainedAloneKeepsLiveTensorsFlat()
    {
        var data = RealData.Load(Config.TestCount);
        var counts = new List<long>();

        var result = SpecTraining.Run(Config, data, twin: true, onEpoch: (_, _) => counts.Add(LiveTensors));

        Assert.Null(result.Run.Diverged);
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

    /// <summary>A twin model owns its network: disposing the model frees the twin's native parameters too, at once.</summary>
    [Fact]
    public void DisposingATwinModelFreesTheNetworkItHolds()
    {
        var spec = Config.Spec;
        var model = new TwinModel(spec, Dtype.Float64, name => new double[spec.Parameters.Single(p => p.Name == name).Size], LossScale.SumOverBatchSquared);
        Tensor conv = model.Twin.Parameter("conv1.weight"), dense = model.Twin.Parameter("dense1.weight");
        Assert.False(conv.IsInvalid || dense.IsInvalid);

        model.Dispose();

        Assert.True(conv.IsInvalid && dense.IsInvalid, "the twin's parameters outlived its model");
        model.Dispose(); // a second dispose (a caller's `using` of the twin too) is harmless
    }

    /// <summary>The twin's SGD step on every batch, as lockstep training calls it, plus an optional leak per step.</summary>
    static List<long> CountsAfterEachEpochOfTwinSteps(ScratchData data, Action? leak)
    {
        var setup = SpecParitySetup.FromSeed(Config.Spec, data, SpecParitySettings.Of(Config));
        using var twin = new SpecTwin(Config.Spec, float64);
        foreach (var p in Config.Spec.Parameters) twin.Load(p, setup.Initial[p.Name]);
        using var trainer = new SpecTwinTrainer(twin, Config.LearningRate, 0, 1, LossScale.SumOverBatchSquared);
        int b = Config.BatchSize;
        var keepAll = Enumerable.Repeat(2.0, setup.FirstMasks["dropout1"].Length).ToArray();
        var counts = new List<long>();
        for (int e = 0; e < Epochs; e++)
        {
            for (int i = 0; i < Config.BatchesPerEpoch; i++)
            {
                trainer.Step(data.TrainImages.AsSpan(i * b * ScratchConfig.Pixels, b * ScratchConfig.Pixels),
                    data.TrainLabels.AsSpan(i * b, b), _ => keepAll);
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
