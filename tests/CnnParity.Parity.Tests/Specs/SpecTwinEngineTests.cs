using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Parity.Specs;
using CnnParity.Torch.Twin;
using TorchSharp;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>
/// The twin trained alone (`train --impl twin`, the speed rows) is the run the from-scratch engine makes from the same
/// options: the same seed, weights and masks, epoch after epoch; and it frees what it holds.
/// </summary>
public sealed class SpecTwinEngineTests
{
    const string Spec = "conv(c=4,k=3,s=2) relu maxpool(k=2) dropout(p=0.25) flatten dense(24) tanh dropout(p=0.5) dense(10)";

    static SpecTrainerOptions Options(Dtype dtype) => new(ArchitectureSpec.Parse(Spec))
    {
        Dtype = dtype, BatchSize = 16, TrainCount = 320, TestCount = 200, Epochs = 3, LearningRate = 0.05, Momentum = 0.9, Threads = 2,
    };

    [SkippableTheory]
    [InlineData(Dtype.Float64, 1e-12)]
    [InlineData(Dtype.Float32, 1e-4)]
    public void TheTwinAloneTrainsTheEnginesRun(Dtype dtype, double drift)
    {
        var data = RealData.Load(200);
        var engine = SpecTraining.Run(Options(dtype), data, twin: false);
        var twin = SpecTraining.Run(Options(dtype), data, twin: true);

        Assert.Equal("TorchSharp twin (" + dtype.ShortName() + ")", twin.Run.Model);
        Assert.Equal(engine.Run.Epochs.Select(e => (e.TestAcc, e.TrainAcc)), twin.Run.Epochs.Select(e => (e.TestAcc, e.TrainAcc)));
        Assert.All(engine.Run.Epochs.Zip(twin.Run.Epochs), p => Assert.Equal(p.First.Loss!.Value, p.Second.Loss!.Value, drift));
        Assert.True(engine.Run.Epochs[^1].Loss < engine.Run.Epochs[0].Loss, "the run should learn");
        double worst = engine.Final!.Specs.Max(p => SpecLockstep.Drift(twin.Final![p.Name], engine.Final[p.Name]));
        Assert.True(worst <= drift, $"drift {worst:G3}");
        Assert.Equal(engine.Run.TestPredictions, twin.Run.TestPredictions);
    }

    /// <summary>A twin trained with another momentum is another run: the comparison above can fail.</summary>
    [SkippableFact]
    public void AnotherMomentumIsAnotherRun()
    {
        var data = RealData.Load(200);
        var engine = SpecTraining.Run(Options(Dtype.Float64), data, twin: false);
        var twin = SpecTraining.Run(Options(Dtype.Float64) with { Momentum = 0.8 }, data, twin: true);

        double worst = engine.Final!.Specs.Max(p => SpecLockstep.Drift(twin.Final![p.Name], engine.Final[p.Name]));
        Assert.True(worst > 1e-3, $"drift {worst:G3}");
    }

    [SkippableFact]
    public void DisposingTheTwinFreesItsTensors()
    {
        var data = RealData.Load(200);
        long before = LiveTensors;
        using (var twin = new SpecTwinEngine(Options(Dtype.Float64) with { TrainCount = 64 }, data))
        {
            twin.RunEpoch();
            Assert.True(LiveTensors > before);
        }
        Assert.Equal(before, LiveTensors);
    }

    static long LiveTensors => DisposeScopeManager.Statistics.TensorStatistics.ThreadTotalLiveCount;
}
