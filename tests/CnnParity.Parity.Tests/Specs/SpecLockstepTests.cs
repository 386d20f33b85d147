using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity;
using CnnParity.Parity.Specs;
using TorchSharp;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>
/// The engine's SpecTrainer and the twin trained in lockstep: they coincide within the drift limit with the same
/// accuracies, a twin stepping 1% longer is caught, and the twin's steps leave no native tensor behind.
/// </summary>
public class SpecLockstepTests
{
    const string Spec = "conv(c=4,k=3,s=2) relu maxpool(k=2) dropout(p=0.25) flatten dense(24) tanh dropout(p=0.5) dense(10)";

    static SpecParitySetup Setup(Dtype dtype, int epochs = 3) => SpecParitySetup.FromSeed(ArchitectureSpec.Parse(Spec), RealData.Load(200),
        new SpecParitySettings(Seed: 1, Batch: 16, TestCount: 200, FiniteDifferenceSample: 4, Threads: 2,
            LockstepEpochs: epochs, TrainCount: 320, LearningRate: 0.05, Momentum: 0.9, LockstepDtype: dtype));

    [SkippableTheory]
    [InlineData(Dtype.Float64)]
    [InlineData(Dtype.Float32)]
    public void TrainerAndTwinCoincideEpochByEpoch(Dtype dtype)
    {
        var result = SpecLockstep.Run(Setup(dtype));

        Assert.Null(result.Problem);
        Assert.Equal(3, result.Epochs.Count);
        Assert.All(result.Epochs, e =>
        {
            Assert.True(e.Drift <= Tolerances.SpecLockstepDrift(dtype), $"epoch {e.Epoch}: drift {e.Drift:G3}");
            Assert.Equal(e.EngineTestAcc, e.TwinTestAcc);
        });
        Assert.True(result.Epochs[^1].EngineLoss < result.Epochs[0].EngineLoss, "the run should learn");
    }

    [SkippableFact]
    public void ATwinSteppingOnePercentLongerDriftsPastTheLimit()
    {
        var setup = Setup(Dtype.Float64, epochs: 1);

        var result = SpecLockstep.Run(setup, twinLearningRate: setup.Settings.LearningRate * 1.01);

        Assert.True(result.Epochs[0].Drift > Tolerances.SpecLockstepDriftFloat64, $"drift {result.Epochs[0].Drift:G3}");
        var check = new SpecParityResult(null, Spec, [], [], result.Epochs, Tolerances.SpecLockstepDriftFloat64, null);
        Assert.Contains(check.Reasons, r => r.StartsWith("lockstep drift"));
    }

    /// <summary>The twin's steps and test passes run in dispose scopes: after a warm-up epoch, the live tensors stay put.</summary>
    [SkippableFact]
    public void LockstepKeepsLiveTensorsFlat()
    {
        var counts = new List<long>();

        var result = SpecLockstep.Run(Setup(Dtype.Float64, epochs: 4), _ => counts.Add(LiveTensors));

        Assert.Null(result.Problem);
        Assert.All(counts.Skip(1), c => Assert.True(c == counts[0], $"live tensors after each epoch: {string.Join(", ", counts)}"));
    }

    /// <summary>The forward and gradient checks free every tensor of every pass.</summary>
    [SkippableFact]
    public void ParityChecksLeaveNoLiveTensors()
    {
        var setup = Setup(Dtype.Float64);
        SpecForwardParity.Run(setup, Dtype.Float32); // warm-up: whatever TorchSharp keeps once
        long before = LiveTensors;

        SpecForwardParity.Run(setup, Dtype.Float64);
        SpecGradientParity.Run(setup, Dtype.Float64);
        SpecGradientParity.Run(setup, Dtype.Float32);

        Assert.Equal(before, LiveTensors);
    }

    static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
}
