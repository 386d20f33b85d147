using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>
/// With <see cref="SpecTrainerOptions.Shuffle"/> the engine's lockstep twin, its shadow and the twin trained alone take the
/// batches the engine takes: the lockstep still coincides, the twin alone still trains the engine's run, and a twin fed
/// the images in file order is caught.
/// </summary>
public sealed class SpecShuffleTests
{
    const string Spec = "conv(c=4,k=3,s=2) relu maxpool(k=2) dropout(p=0.25) flatten dense(24) tanh dropout(p=0.5) dense(10)";

    static SpecParitySettings Settings(bool shuffle) => new(Seed: 1, Batch: 16, TestCount: 200, FiniteDifferenceSample: 4, Threads: 2,
        LockstepEpochs: 2, TrainCount: 320, LearningRate: 0.05, Momentum: 0.9, Shuffle: shuffle);

    static SpecTrainerOptions Options(Dtype dtype, bool shuffle) => new(ArchitectureSpec.Parse(Spec))
    {
        Dtype = dtype, BatchSize = 16, TrainCount = 320, TestCount = 200, Epochs = 2, LearningRate = 0.05, Momentum = 0.9, Threads = 2,
        Shuffle = shuffle,
    };

    [SkippableFact]
    public void TheShuffledLockstepCoincidesAndIsAnotherRunThanFileOrder()
    {
        var data = RealData.Load(200);
        var shuffled = SpecLockstep.Run(SpecParitySetup.FromSeed(ArchitectureSpec.Parse(Spec), data, Settings(shuffle: true)));
        var inOrder = SpecLockstep.Run(SpecParitySetup.FromSeed(ArchitectureSpec.Parse(Spec), data, Settings(shuffle: false)));

        Assert.Null(shuffled.Problem);
        Assert.Equal(2, shuffled.Epochs.Count);
        Assert.All(shuffled.Epochs, e =>
        {
            Assert.True(e.Drift <= Tolerances.SpecLockstepDriftFloat64.Limit, $"epoch {e.Epoch}: drift {e.Drift:G3}");
            // The shadow draws the same orders: were it trained on other batches, it would be far more than rounding away.
            Assert.True(e.Sensitivity <= Tolerances.SpecLockstepDriftFloat64.Limit, $"epoch {e.Epoch}: sensitivity {e.Sensitivity:G3}");
            Assert.Equal(e.EngineTestAcc, e.TwinTestAcc);
        });
        Assert.NotEqual(inOrder.Epochs[0].EngineLoss, shuffled.Epochs[0].EngineLoss);
        double apart = shuffled.Final!.Specs.Max(p => SpecLockstep.Drift(shuffled.Final[p.Name], inOrder.Final![p.Name]));
        Assert.True(apart > 1e-3, $"shuffled and in-order weights {apart:G3} apart");
    }

    [SkippableTheory]
    [InlineData(Dtype.Float64, 1e-12)]
    [InlineData(Dtype.Float32, 1e-4)]
    public void TheShuffledTwinAloneTakesTheEnginesBatches(Dtype dtype, double drift)
    {
        var data = RealData.Load(200);
        var engine = SpecTraining.Run(Options(dtype, shuffle: true), data, twin: false);
        var twin = SpecTraining.Run(Options(dtype, shuffle: true), data, twin: true);

        Assert.Equal(engine.Run.Epochs.Select(e => (e.TestAcc, e.TrainAcc)), twin.Run.Epochs.Select(e => (e.TestAcc, e.TrainAcc)));
        Assert.All(engine.Run.Epochs.Zip(twin.Run.Epochs), p => Assert.Equal(p.First.Loss!.Value, p.Second.Loss!.Value, drift));
        double worst = engine.Final!.Specs.Max(p => SpecLockstep.Drift(twin.Final![p.Name], engine.Final[p.Name]));
        Assert.True(worst <= drift, $"drift {worst:G3}");
    }

    /// <summary>The comparison above can fail: the twin in file order against the shuffled engine is another run.</summary>
    [SkippableFact]
    public void ATwinInFileOrderIsNotTheShuffledEnginesRun()
    {
        var data = RealData.Load(200);
        var engine = SpecTraining.Run(Options(Dtype.Float64, shuffle: true), data, twin: false);
        var twin = SpecTraining.Run(Options(Dtype.Float64, shuffle: false), data, twin: true);

        Assert.True(Math.Abs(engine.Run.Epochs[0].Loss!.Value - twin.Run.Epochs[0].Loss!.Value) > 1e-6);
        double worst = engine.Final!.Specs.Max(p => SpecLockstep.Drift(twin.Final![p.Name], engine.Final[p.Name]));
        Assert.True(worst > 1e-3, $"drift {worst:G3}");
    }
}
