using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using Xunit.Abstractions;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>
/// Adam, AdamW and SGD with weight decay in lockstep: the engine's optimizers and TorchSharp's own (torch.optim.Adam, AdamW,
/// SGD with weight_decay) coincide in float64 within the same drift limit as plain SGD, with a decaying learning rate too;
/// the first step is judged against the float64 reference's for whichever optimizer, and a wrong rule is blamed on its side.
/// </summary>
public class OptimizerLockstepTests(ITestOutputHelper output)
{
    const string Spec = "conv(c=4,k=3,s=2) relu maxpool(k=2) dropout(p=0.25) flatten dense(24) tanh dropout(p=0.5) dense(10)";

    static SpecParitySetup Setup(OptimizerSettings optimizer, double learningRate, int epochs = 3, double decay = 1, Dtype dtype = Dtype.Float64) =>
        SpecParitySetup.FromSeed(ArchitectureSpec.Parse(Spec), RealData.Load(200),
            new SpecParitySettings(Seed: 1, Batch: 16, TestCount: 200, FiniteDifferenceSample: 4, Threads: 2, LockstepEpochs: epochs, TrainCount: 320,
                LearningRate: learningRate, Momentum: optimizer.IsAdam ? 0 : 0.9, LockstepDtype: dtype, LearningRateDecay: decay)
            { Optimizer = optimizer });

    public static TheoryData<string, double, double, double> Optimizers => new()
    {
        { "adam", 0, 0.002, 1 },
        { "adam", 0.01, 0.002, 0.5 },
        { "adamw", 0.05, 0.002, 1 },
        { "sgd", 0.001, 0.05, 1 },
    };

    [SkippableTheory]
    [MemberData(nameof(Optimizers))]
    public void EngineAndTwinCoincideInFloat64AsSgdDoes(string name, double weightDecay, double learningRate, double decay)
    {
        var optimizer = new OptimizerSettings(OptimizerSettings.Parse(name), weightDecay);
        var result = SpecLockstep.Run(Setup(optimizer, learningRate, decay: decay));

        foreach (var e in result.Epochs) output.WriteLine($"{optimizer}, lr {learningRate}: epoch {e.Epoch} loss {e.EngineLoss:F6}, drift {e.Drift:E2}, sensitivity {e.Sensitivity:E2}");
        Assert.Null(result.Problem);
        Assert.Equal(3, result.Epochs.Count);
        Assert.All(result.Epochs, e =>
        {
            Assert.True(e.Drift <= Tolerances.Spec.Lockstep(Dtype.Float64).Limit, $"{optimizer}, epoch {e.Epoch}: drift {e.Drift:G3}");
            Assert.Equal(e.EngineTestAcc, e.TwinTestAcc);
        });
        Assert.True(result.Epochs[^1].EngineLoss < result.Epochs[0].EngineLoss, $"{optimizer} should learn");
        Assert.Equal(ArchitectureSpec.Parse(Spec).Parameters.Count, result.FirstStep.Count);
        Assert.All(result.FirstStep, c => Assert.True(c.Pass, c.FailLine()));
    }

    /// <summary>
    /// In float32 too: Adam's engine and twin stay within the float32 limit and within their allowance of the float64 truth
    /// (the engine in float64 from the same float32 start, Adam and all), so no lockstep reason is given.
    /// </summary>
    [SkippableTheory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void AFloat32AdamRunStaysWithItsFloat64Truth(OptimizerKind kind)
    {
        double limit = Tolerances.Spec.Lockstep(Dtype.Float32).Limit;
        var result = SpecLockstep.Run(Setup(new OptimizerSettings(kind, 0.01), 0.002, epochs: 2, dtype: Dtype.Float32));

        foreach (var e in result.Epochs) output.WriteLine($"{kind} f32: epoch {e.Epoch} drift {e.Drift:E2}, engine from truth {e.EngineFromTruth:E2}, twin from truth {e.TwinFromTruth:E2}");
        Assert.Null(result.Problem);
        Assert.All(result.Epochs, e => Assert.True(e.EngineFromTruth is > 0 && e.TwinFromTruth is > 0, $"epoch {e.Epoch}"));
        Assert.DoesNotContain(new SpecParityResult(null, Spec, [], [], result.Epochs, limit, null).Reasons, r => r.Contains("lockstep"));
    }

    /// <summary>Adam's and AdamW's runs are the same bits at one thread and at two.</summary>
    [Theory]
    [InlineData(OptimizerKind.Adam)]
    [InlineData(OptimizerKind.AdamW)]
    public void AnAdamRunIsTheSameBitsAtAnyThreadCount(OptimizerKind kind)
    {
        var setup = Setup(new OptimizerSettings(kind, 0.01), 0.002, epochs: 2);
        ParameterSet<double> Final(int threads)
        {
            var trainer = new SpecTrainer(setup.Training with { Threads = threads }, setup.Data);
            for (int e = 0; e < 2; e++) trainer.RunEpoch();
            return trainer.CurrentParameters();
        }

        var one = Final(1);
        var two = Final(2);

        Assert.All(setup.Spec.Parameters, p => Assert.Equal(one[p.Name], two[p.Name]));
    }

    /// <summary>The optimizer is what trains: Adam's run is not SGD's, and AdamW with decay 0 is Adam.</summary>
    [SkippableFact]
    public void TheOptimizerChangesTheRun()
    {
        var adam = SpecLockstep.Run(Setup(new OptimizerSettings(OptimizerKind.Adam), 0.002, epochs: 1));
        var adamW = SpecLockstep.Run(Setup(new OptimizerSettings(OptimizerKind.AdamW), 0.002, epochs: 1));
        var decayed = SpecLockstep.Run(Setup(new OptimizerSettings(OptimizerKind.AdamW, 0.5), 0.002, epochs: 1));

        Assert.Equal(adam.Final!["dense2.weight"], adamW.Final!["dense2.weight"]);
        Assert.NotEqual(adam.Final!["dense2.weight"], decayed.Final!["dense2.weight"]);
    }

    /// <summary>
    /// A twin whose weight decay is L2 (Adam) where the run asks for decoupled decay (AdamW), and a twin on TorchSharp's
    /// factory default β2 = 0.99 with a larger eps: the first step names the twin on every parameter where the rule shows.
    /// </summary>
    [SkippableFact]
    public void ATwinWithTheWrongRuleIsBlamed()
    {
        var setup = Setup(new OptimizerSettings(OptimizerKind.AdamW, 0.05), 0.002, epochs: 1);

        var coupled = SpecLockstep.Run(setup, twinOptimizer: new OptimizerSettings(OptimizerKind.Adam, 0.05));

        Assert.True(coupled.Epochs[0].Drift > Tolerances.SpecLockstepDriftFloat64.Limit, $"drift {coupled.Epochs[0].Drift:G3}");
        Assert.All(coupled.FirstStep, c => Assert.Equal(Sides.Twin, Assert.Single(c.Blamed).Side));
    }

    /// <summary>
    /// An engine whose Adam adds eps inside the square root, or leaves out the bias corrections, judged with the twin's real
    /// first step (TorchSharp's Adam) against the reference's: the engine is named, the twin not; the engine's own Adam
    /// passes.
    /// </summary>
    [SkippableTheory]
    [InlineData("right")]
    [InlineData("eps inside the square root")]
    [InlineData("no bias correction")]
    public void AnEngineWithAWrongAdamRuleIsBlamed(string fault)
    {
        var optimizer = new OptimizerSettings(OptimizerKind.Adam);
        const double lr = 0.002;
        var setup = Setup(optimizer, lr, epochs: 1);
        var spec = setup.Spec;
        var random = new NumPyRandomState(setup.Settings.Seed);
        var start = ParameterSet<double>.Initialize(spec, random);
        var masks = DropoutMasks.Draw(spec, setup.Batch, random);
        var images = setup.FirstBatchImages.ToArray();
        var labels = setup.FirstBatchLabels.ToArray();

        using var model = setup.Scratch(Dtype.Float64);
        using var pass = model.Forward(images, setup.Batch, name => masks[name]);
        var g = pass.Gradients(labels);
        var engine = start.Clone();
        if (fault == "right")
            new AdamOptimizer<double>(lr, optimizer).Step(engine, ParameterSet<double>.FromArrays(spec, [.. spec.Parameters.Select(p => g[p.Name])]));
        else
            foreach (var p in spec.Parameters)
            {
                double[] w = engine[p.Name];
                for (int i = 0; i < w.Length; i++)
                {
                    double m = (1 - optimizer.Beta1) * g[p.Name][i], v = (1 - optimizer.Beta2) * g[p.Name][i] * g[p.Name][i];
                    w[i] -= fault == "no bias correction"
                        ? lr * m / (Math.Sqrt(v) + optimizer.Eps)
                        : lr * (m / (1 - optimizer.Beta1)) / Math.Sqrt(v / (1 - optimizer.Beta2) + optimizer.Eps);
                }
            }
        using var twin = new SpecTwin(spec, TwinDtype.Of(Dtype.Float64));
        foreach (var p in spec.Parameters) twin.Load(p, start[p.Name]);
        using var trainer = new SpecTwinTrainer(twin, lr, 0, 1, setup.Options.Loss, optimizer);
        trainer.Step(images, labels, name => masks[name]);

        var judged = FirstStepParity.Judge(setup, start, images, labels, masks, engine, name => twin.Values(name), lr);

        Assert.Equal(spec.Parameters.Count, judged.Count);
        if (fault == "right")
            Assert.All(judged, c => Assert.True(c.Pass, c.FailLine()));
        else
            Assert.All(judged, c => Assert.Equal(Sides.Engine, Assert.Single(c.Blamed).Side));
    }
}
