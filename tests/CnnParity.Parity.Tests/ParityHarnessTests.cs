using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Specs;
using CnnParity.Testing;

namespace CnnParity.Parity.Tests;

/// <summary>
/// The parity harness on the chapter-10 network (the <c>ch10</c> spec with the notebook's options), on real MNIST: forward
/// per named layer, gradients, the book rule, and a short lockstep run — the pipeline every spec goes through.
/// </summary>
public class ParityHarnessTests
{
    static SpecParitySetup Setup(int kernels = 4, int grid = 26, int testCount = 1000, int epochs = 0, int trainCount = 1000) =>
        SpecParitySetup.FromSeed(ArchitectureSpec.Chapter10(kernels, grid), RealData.Load(testCount), new SpecParitySettings(
            Seed: 1, Batch: 128, TestCount: testCount, FiniteDifferenceSample: SpecParitySettings.Chapter10FiniteDifferenceSample, Threads: 2,
            LockstepEpochs: epochs, TrainCount: trainCount, LearningRate: 2, Momentum: 0));

    [SkippableTheory]
    [InlineData(Dtype.Float64, 26)]
    [InlineData(Dtype.Float64, 25)]
    [InlineData(Dtype.Float32, 26)]
    public void ForwardPassAgreesLayerByLayer(Dtype dtype, int grid)
    {
        var setup = Setup(grid: grid);
        var results = SpecForwardParity.Run(setup, dtype);
        // Every layer on the first batch, and the loss; every layer on the test set.
        Assert.Equal(2 * setup.Spec.Layers.Count + 1, results.Count);
        Assert.Equal(grid == 25, results.Any(r => r.Tensor == "crop"));
        Assert.All(results, r => Assert.True(r.Pass, r.FailLine()));
        if (dtype == Dtype.Float64) // sums in another order: a few ULP, far below any real error
            Assert.All(results, r => Assert.All(r.Sides, s => Assert.True(s.MaxAbs < 1e-15, $"{r.Tensor} {s.Side}: max abs {s.MaxAbs:G3}")));
    }

    [SkippableFact]
    public void ForwardParityFailsWhenOneWeightDiffersByOneBillionth()
    {
        var setup = Setup(testCount: 500);
        var wrong = setup.Initial.ToDictionary(p => p.Key, p => (double[])p.Value.Clone());
        wrong["conv1.weight"][3] += 1e-9;
        var results = SpecForwardParity.Run(setup, Dtype.Float64, new(d => setup.Scratch(d), d => setup.Twin(d, name => wrong[name])));
        var conv = results.Single(r => r.Tensor == "conv1" && r.Scope == "first batch");
        Assert.False(conv.Pass);
        Assert.Equal(CnnParity.Parity.Triage.Sides.Twin, conv.Blamed.Single().Side);
        Assert.False(results.Single(r => r.Tensor == "dense1" && r.Scope.StartsWith("test set")).Pass);
    }

    [SkippableFact]
    public void GradientsAgreeWithAutogradAndFiniteDifferences()
    {
        var setup = Setup();
        var results = SpecGradientParity.Run(setup, Dtype.Float64);
        // Each parameter three ways in float64, then against finite differences.
        Assert.Equal(4, results.Count);
        Assert.All(results, r => Assert.True(r.Pass, r.FailLine()));
        // Every kernel weight and 200 entries of the dense weight are probed, as chapter 10's checks always did.
        Assert.Equal(36, results.First(r => r.Tensor == "conv1.weight" && r.Scope == SpecGradientParity.FiniteDifferences).Sides[0].Count);
        Assert.Equal(200, results.First(r => r.Tensor == "dense1.weight" && r.Scope == SpecGradientParity.FiniteDifferences).Sides[0].Count);
        var f32 = SpecGradientParity.Run(setup, Dtype.Float32);
        Assert.All(f32, r => Assert.True(r.Pass, r.FailLine()));
    }

    [SkippableFact]
    public void AutogradDisagreesWithAWrongGradient()
    {
        var setup = Setup();
        var layout = NotebookLayout.Of(setup.Spec);
        IReadOnlyDictionary<string, double[]> manual, autograd;
        using (var engine = setup.Scratch(Dtype.Float64))
        using (var pass = engine.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks))
            manual = pass.Gradients(setup.FirstBatchLabels);
        using (var twin = setup.Twin(Dtype.Float64))
        using (var pass = twin.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks))
            autograd = pass.Gradients(setup.FirstBatchLabels);
        // The book's kernel derivative (tanh' after dropout, no x2) is not the gradient: the harness must see that.
        var config = layout.Config with { BatchSize = setup.Batch, Threads = 2 };
        var book = NotebookParameters.ToNotebook(ParameterSet<double>.FromArrays(setup.Spec, [.. setup.Spec.Parameters.Select(p => setup.Initial[p.Name])]), config);
        var state = new BatchState(config, setup.Batch);
        book.Forward(state, setup.FirstBatchImages, layout.HiddenFromTorch<double>(setup.FirstMasks["dropout1"]).Select(m => m / 2).ToArray());
        var oneHot = new double[setup.Batch * 10];
        for (int r = 0; r < setup.Batch; r++) oneHot[r * 10 + setup.FirstBatchLabels[r]] = 1;
        book.BookUpdate(state, oneHot);
        var bookGradient = layout.ConvWeightFromKernels(state.KernelsUpdate.Select(v => -v).ToArray());
        Assert.False(DistanceMeter.Within(autograd["conv1.weight"], bookGradient, Tolerances.GradientFloat64));
        Assert.True(DistanceMeter.Within(autograd["conv1.weight"], manual["conv1.weight"], Tolerances.GradientFloat64));
    }

    [SkippableFact]
    public void BookRuleKernelStepPointsUphillAndDenseStepIsExact()
    {
        var setup = Setup();
        var findings = BookRuleAnalysis.Run(setup);
        var dense = findings.Single(f => f.Tensor == "weights_1_2, at initialisation");
        var kernels = findings.Single(f => f.Tensor == "kernels, at initialisation");
        var fixedSign = findings.Single(f => f.Tensor == "kernels sign-fixed, at initialisation");
        Assert.True(Math.Abs(dense.Cosine - 1) < 1e-12, $"dense cosine {dense.Cosine}");
        Assert.True(Math.Abs(dense.NormRatio - 1) < 1e-12, $"dense norm ratio {dense.NormRatio}");
        Assert.Contains("max difference 0", dense.Finding);
        Assert.True(kernels.Cosine < 0, $"kernel cosine {kernels.Cosine}");
        // At initialisation |t| is tiny, so only the dropped x2 matters: half the descent step.
        Assert.InRange(fixedSign.NormRatio, 0.45, 0.5);
    }

    [SkippableFact]
    public void TanhDerivativeAfterDropoutBendsTheKernelStepAtTrainedWeights()
    {
        var setup = Setup(testCount: 200);
        var layout = NotebookLayout.Of(setup.Spec);
        var trained = new ScratchTrainer(ScratchConfig.SeedNotebook with { Epochs = 10, TestCount = 200, Threads = 2 }, setup.Data);
        trained.Run();
        var findings = BookRuleAnalysis.Run(setup, NotebookParameters.FromNotebook(setup.Spec, trained.Network), "after 10 epochs");
        var kernels = findings.Single(f => f.Tensor == "kernels, after 10 epochs");
        var fixedSign = findings.Single(f => f.Tensor == "kernels sign-fixed, after 10 epochs");
        Assert.True(kernels.Cosine < 0, $"kernel cosine {kernels.Cosine}");
        // Measurably bent and shortened beyond the dropped x2: by more than rounding could (the messages print by how much).
        Assert.True(fixedSign.Cosine < 0.99999, $"sign-fixed cosine {fixedSign.Cosine}: tanh' after dropout should bend the step");
        Assert.True(fixedSign.NormRatio < 0.5 * 0.995, $"sign-fixed norm ratio {fixedSign.NormRatio}");
        Assert.Contains("negative on", fixedSign.Finding);
        Assert.Equal(layout.NumKernels, setup.Spec.Parameters[0].Shape[0]);
    }

    /// <summary>The corrected rule in lockstep: the NumPy-bit engine and the twin coincide, as close as the engine to itself one ULP away.</summary>
    [SkippableFact]
    public void LockstepTrainingCoincidesOverAFewEpochs()
    {
        var setup = Setup(testCount: 500, epochs: 3, trainCount: 384);
        var result = SpecLockstep.Run(setup);
        Assert.Null(result.Problem);
        Assert.Equal(3, result.Epochs.Count);
        Assert.All(result.Epochs, e => Assert.True(e.Drift < Tolerances.LockstepDriftFloat64.Limit, $"epoch {e.Epoch}: {e.Drift}"));
        Assert.All(result.Epochs, e => Assert.True(e.Sensitivity is > 0, $"epoch {e.Epoch}: sensitivity {e.Sensitivity}"));
        Assert.Equal(result.Engine.Epochs.Select(e => e.TestAcc), result.Twin.Epochs.Select(e => e.TestAcc));
        Assert.Equal(result.Engine.Epochs.Select(e => e.TrainAcc), result.Twin.Epochs.Select(e => e.TrainAcc));
        Assert.Equal(result.Epochs.Select(e => e.EngineLoss), result.Engine.Epochs.Select(e => e.Loss!.Value));
        Assert.Empty(result.Twin.Flips!);
        // The corrected rule's first step (p − α·g of the Σ/B² loss), on both sides as the float64 reference takes it.
        Assert.Equal(["conv1.weight", "dense1.weight"], result.FirstStep.Select(c => c.Tensor));
        Assert.All(result.FirstStep, c => Assert.True(c.Pass, c.FailLine()));
        Assert.Equal(Tolerances.LockstepDriftFloat64, setup.Tolerances.Lockstep(Dtype.Float64));
    }
}
