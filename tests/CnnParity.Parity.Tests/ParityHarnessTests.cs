using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity;
using CnnParity.Testing;

namespace CnnParity.Parity.Tests;

/// <summary>The parity harness on real MNIST: forward, gradients, book rule, and a short lockstep run.</summary>
public class ParityHarnessTests
{
    static ParitySetup Setup(int kernels = 4, int grid = 26, int testCount = 1000) =>
        new(ScratchConfig.SeedNotebook with { NumKernels = kernels, Grid = grid, TestCount = testCount, Threads = 2 }, RealData.Load(testCount));

    [SkippableTheory]
    [InlineData(Dtype.Float64, 26)]
    [InlineData(Dtype.Float64, 25)]
    [InlineData(Dtype.Float32, 26)]
    public void ForwardPassAgreesLayerByLayer(Dtype dtype, int grid)
    {
        var results = ForwardParity.Run(Setup(grid: grid), dtype, 1000);
        Assert.Equal(9, results.Count); // 5 layers on the first batch, 4 on the test set
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Layer} {r.Scope}: max rel {r.Distance.MaxRel:G3}, {r.Distance.MaxUlp} ulp"));
        if (dtype == Dtype.Float64) // sums in another order: a few ULP, far below any real error
            Assert.All(results, r => Assert.True(r.Distance.MaxAbs < 1e-15, $"{r.Layer}: max abs {r.Distance.MaxAbs:G3}"));
    }

    [SkippableFact]
    public void ForwardParityFailsWhenOneWeightDiffersByOneBillionth()
    {
        var setup = Setup();
        var wrong = setup.Initial.Clone();
        wrong.Kernels[3] += 1e-9;
        var results = ForwardParity.Run(setup, Dtype.Float64, 500, wrong);
        Assert.False(results.Single(r => r.Layer == "conv_output" && r.Scope == "first batch").Pass);
        Assert.False(results.Single(r => r.Layer == "logits" && r.Scope.StartsWith("test set")).Pass);
    }

    [SkippableFact]
    public void GradientsAgreeWithAutogradAndFiniteDifferences()
    {
        var results = GradientParity.Run(Setup(), Dtype.Float64);
        Assert.Equal(6, results.Count);
        Assert.All(results, r => Assert.True(r.Pass, $"{r.Tensor} {r.Pair}: max rel {r.Distance.MaxRel:G3}, max abs {r.Distance.MaxAbs:G3}"));
        var f32 = GradientParity.Run(Setup(), Dtype.Float32);
        Assert.All(f32, r => Assert.True(r.Pass, $"f32 {r.Tensor} {r.Pair}: max rel {r.Distance.MaxRel:G3}"));
    }

    [SkippableFact]
    public void AutogradDisagreesWithAWrongGradient()
    {
        var setup = Setup();
        var state = setup.ForwardFirstBatch(setup.Initial);
        var manual = setup.Initial.CorrectedBackward(state, setup.FirstBatchOneHot);
        var autograd = GradientParity.Autograd(setup, state.DropoutMask, Dtype.Float64);
        // The book's kernel derivative (tanh' after dropout, no x2) is not the gradient: the harness must see that.
        var book = setup.Initial.Clone();
        var bookState = setup.ForwardFirstBatch(book);
        book.BookUpdate(bookState, setup.FirstBatchOneHot);
        var bookGradient = bookState.KernelsUpdate.Select(v => -v).ToArray();
        Assert.False(DistanceMeter.Within(autograd.Kernels, bookGradient, Tolerances.GradientFloat64));
        Assert.True(DistanceMeter.Within(autograd.Kernels, manual.DKernels, Tolerances.GradientFloat64));
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
        var trained = new ScratchTrainer(setup.Config with { Epochs = 10 }, setup.Data);
        trained.Run();
        var findings = BookRuleAnalysis.Run(setup, trained.Network, "after 10 epochs");
        var kernels = findings.Single(f => f.Tensor == "kernels, after 10 epochs");
        var fixedSign = findings.Single(f => f.Tensor == "kernels sign-fixed, after 10 epochs");
        Assert.True(kernels.Cosine < 0, $"kernel cosine {kernels.Cosine}");
        // Measurably bent and shortened beyond the dropped x2: by more than rounding could (the messages print by how much).
        Assert.True(fixedSign.Cosine < 0.99999, $"sign-fixed cosine {fixedSign.Cosine}: tanh' after dropout should bend the step");
        Assert.True(fixedSign.NormRatio < 0.5 * 0.995, $"sign-fixed norm ratio {fixedSign.NormRatio}");
        Assert.Contains("negative on", fixedSign.Finding);
    }

    [SkippableFact]
    public void LockstepTrainingCoincidesOverAFewEpochs()
    {
        var config = ScratchConfig.SeedNotebook with { Epochs = 3, TrainCount = 384, TestCount = 500, Threads = 2 };
        var data = RealData.Load(500);
        var result = LockstepTraining.Run(config, data, Dtype.Float64);
        Assert.Null(result.Twin.Diverged);
        Assert.Equal(3, result.Twin.Epochs.Count);
        Assert.All(result.Twin.Epochs, e => Assert.True(e.MaxParamRelDiff < Tolerances.LockstepDriftFloat64.Limit, $"epoch {e.Epoch}: {e.MaxParamRelDiff}"));
        Assert.Equal(result.Scratch.Epochs.Select(e => e.TestAcc), result.Twin.Epochs.Select(e => e.TestAcc));
        Assert.Equal(result.Scratch.Epochs.Select(e => e.TrainAcc), result.Twin.Epochs.Select(e => e.TrainAcc));
        Assert.Empty(result.Twin.Flips!);
    }
}
