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

    static SpecParitySetup Setup(Dtype dtype, int epochs = 3, double decay = 1) => SpecParitySetup.FromSeed(ArchitectureSpec.Parse(Spec), RealData.Load(200),
        new SpecParitySettings(Seed: 1, Batch: 16, TestCount: 200, FiniteDifferenceSample: 4, Threads: 2,
            LockstepEpochs: epochs, TrainCount: 320, LearningRate: 0.05, Momentum: 0.9, LockstepDtype: dtype, LearningRateDecay: decay));

    /// <summary>
    /// A decaying learning rate is one schedule on both sides: the engine multiplies its rate out epoch by epoch, the twin
    /// steps TorchSharp's own ExponentialLR, and they still coincide; the decay really changes the run (the last epoch's
    /// rate is a quarter of the first's).
    /// </summary>
    [SkippableFact]
    public void ALearningRateDecayIsOneScheduleOnBothSides()
    {
        var decayed = SpecLockstep.Run(Setup(Dtype.Float64, decay: 0.5));
        var constant = SpecLockstep.Run(Setup(Dtype.Float64));

        Assert.Null(decayed.Problem);
        Assert.All(decayed.Epochs, e => Assert.True(e.Drift <= Tolerances.Spec.Lockstep(Dtype.Float64).Limit, $"epoch {e.Epoch}: drift {e.Drift:G3}"));
        Assert.Equal(constant.Epochs[0].EngineLoss, decayed.Epochs[0].EngineLoss);
        Assert.NotEqual(constant.Epochs[^1].EngineLoss, decayed.Epochs[^1].EngineLoss);
    }

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
            Assert.True(e.Drift <= Tolerances.Spec.Lockstep(dtype).Limit, $"epoch {e.Epoch}: drift {e.Drift:G3}");
            Assert.Equal(e.EngineTestAcc, e.TwinTestAcc);
        });
        Assert.True(result.Epochs[^1].EngineLoss < result.Epochs[0].EngineLoss, "the run should learn");
    }

    /// <summary>
    /// The report's view of the run: the engine's and the twin's training runs (the twin's with the drift per epoch), the
    /// final weights the engine would deploy, and the final test predictions.
    /// </summary>
    [SkippableFact]
    public void TheRunIsRecordedAsTwoTrainingRunsAndTheEnginesFinalWeights()
    {
        var setup = Setup(Dtype.Float64);
        var result = SpecLockstep.Run(setup);

        Assert.Equal([SpecLockstep.EngineName(Dtype.Float64), SpecLockstep.TwinName(Dtype.Float64)], [result.Engine.Model, result.Twin.Model]);
        Assert.Equal(result.Epochs.Select(e => (e.EngineTestAcc, (double?)e.EngineLoss)), result.Engine.Epochs.Select(e => (e.TestAcc, e.Loss)));
        Assert.Equal(result.Epochs.Select(e => (e.TwinTestAcc, (double?)e.Drift)), result.Twin.Epochs.Select(e => (e.TestAcc, e.MaxParamRelDiff)));
        Assert.All(result.Engine.Epochs, e => Assert.Null(e.MaxParamRelDiff));
        Assert.Equal(result.Engine.Epochs.Select(e => e.TrainAcc), result.Twin.Epochs.Select(e => e.TrainAcc));
        Assert.Empty(result.Twin.Flips!);
        Assert.Equal(200, result.Engine.TestPredictions.Length);
        Assert.Equal(result.Engine.TestPredictions, result.Twin.TestPredictions);

        // The final weights are the engine's own: a trainer run alone from the same options ends on the same bits.
        var alone = SpecTraining.Run(new Core.Engines.SpecTrainerOptions(setup.Spec)
        {
            BatchSize = 16, TrainCount = 320, TestCount = 200, Epochs = 3, LearningRate = 0.05, Momentum = 0.9, Threads = 2, Seed = 1,
        }, setup.Data, twin: false);
        Assert.All(setup.Spec.Parameters, p => Assert.Equal(alone.Final![p.Name], result.Final![p.Name]));
    }

    /// <summary>
    /// The engine's own sensitivity is measured every epoch (the engine against itself one ULP away): not zero, so the
    /// second run really started elsewhere, and of the size of the twin's drift, which rounding alone explains.
    /// </summary>
    [SkippableTheory]
    [InlineData(Dtype.Float64)]
    [InlineData(Dtype.Float32)]
    public void TheEnginesOwnSensitivityIsMeasuredBesideTheDrift(Dtype dtype)
    {
        var result = SpecLockstep.Run(Setup(dtype));

        Assert.All(result.Epochs, e =>
        {
            double s = e.Sensitivity!.Value;
            Assert.True(s > 0 && s <= Tolerances.Spec.Lockstep(dtype).Limit, $"epoch {e.Epoch}: sensitivity {s:G3}");
            Assert.True(e.Drift <= Tolerances.SpecLockstepSensitivityFactor * s, $"epoch {e.Epoch}: drift {e.Drift:G3}, sensitivity {s:G3}");
        });
        Assert.Equal(result.Epochs.Select(e => e.Sensitivity), result.Twin.Epochs.Select(e => e.Sensitivity));
    }

    /// <summary>Where rounding alone has grown past the fixed limit, the allowance follows it; below, the fixed limit holds.</summary>
    [Fact]
    public void TheAllowanceIsTheLimitOrAHundredTimesTheSensitivity()
    {
        double limit = Tolerances.SpecLockstepDriftFloat64.Limit;
        Assert.Equal(limit, Tolerances.SpecLockstepAllowance(limit, null));
        Assert.Equal(limit, Tolerances.SpecLockstepAllowance(limit, 1e-15));
        Assert.Equal(limit, Tolerances.SpecLockstepAllowance(limit, double.NaN));
        Assert.Equal(100 * 3e-7, Tolerances.SpecLockstepAllowance(limit, 3e-7));

        LockstepEpoch E(double drift, double? sensitivity) => new(0, 1, 1, 0.9, 0.9, drift, sensitivity);
        SpecParityResult Check(LockstepEpoch e) => new(null, Spec, [], [], [e], limit, null);
        Assert.DoesNotContain(Check(E(5e-7, 3e-7)).Reasons, r => r.StartsWith("lockstep drift"));
        Assert.Contains(Check(E(5e-5, 3e-7)).Reasons, r => r.StartsWith("lockstep drift 5E-05 between engine and TorchSharp twin after epoch 0 exceeds 3E-05 (the larger of 1E-08 and 100"));
        Assert.Contains(Check(E(5e-7, null)).Reasons, r => r.StartsWith("lockstep drift 5E-07 between engine and TorchSharp twin after epoch 0 exceeds 1E-08"));
    }

    [SkippableFact]
    public void ATwinSteppingOnePercentLongerDriftsPastTheLimit()
    {
        var setup = Setup(Dtype.Float64, epochs: 1);

        var result = SpecLockstep.Run(setup, twinLearningRate: setup.Settings.LearningRate * 1.01);

        Assert.True(result.Epochs[0].Drift > Tolerances.SpecLockstepDriftFloat64.Limit, $"drift {result.Epochs[0].Drift:G3}");
        var check = new SpecParityResult(null, Spec, [], [], result.Epochs, Tolerances.SpecLockstepDriftFloat64.Limit, null);
        Assert.Contains(check.Reasons, r => r.StartsWith("lockstep drift"));
        // The first step against the float64 reference's says whose update is off: the twin's, on every parameter.
        Assert.Equal(setup.Spec.Parameters.Select(p => p.Name), result.FirstStep.Select(c => c.Tensor));
        Assert.All(result.FirstStep, c => Assert.Equal(CnnParity.Parity.Triage.Sides.Twin, Assert.Single(c.Blamed).Side));
        Assert.All(SpecLockstep.Run(setup).FirstStep, c => Assert.True(c.Pass, c.FailLine()));
    }

    /// <summary>
    /// A float32 run has a float64 truth beside it (the engine in float64 from the same float32 start): both float32 sides
    /// stay within their allowance of it; a twin stepping 1% longer drifts from it and is the side named, the engine not.
    /// </summary>
    [SkippableFact]
    public void AFloat32RunIsJudgedAgainstItsFloat64TruthAndNamesTheSideThatDrifts()
    {
        var setup = Setup(Dtype.Float32, epochs: 2);
        double limit = Tolerances.Spec.Lockstep(Dtype.Float32).Limit;

        var right = SpecLockstep.Run(setup);
        Assert.All(right.Epochs, e => Assert.True(e.EngineFromTruth is > 0 && e.TwinFromTruth is > 0, $"epoch {e.Epoch}"));
        Assert.DoesNotContain(new SpecParityResult(null, Spec, [], [], right.Epochs, limit, null).Reasons, r => r.Contains("lockstep"));

        var longer = SpecLockstep.Run(setup, twinLearningRate: setup.Settings.LearningRate * 1.01);
        var reasons = new SpecParityResult(null, Spec, [], [], longer.Epochs, limit, null).Reasons.Where(r => r.Contains("lockstep")).ToList();
        Assert.StartsWith("TorchSharp twin lockstep: drift from the float64 truth ", Assert.Single(reasons));
        Assert.True(longer.Epochs[0].EngineFromTruth <= longer.Epochs[0].Allowance(limit), $"engine {longer.Epochs[0].EngineFromTruth:G3}");
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
