using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Reports;

namespace CnnParity.Reports.Tests;

public class JudgeTests
{
    [Fact]
    public void Passes_when_every_check_holds()
    {
        var report = SyntheticReport.Create(epochs: 5, testCount: 20);
        Assert.Equal("PASS", report.Verdict);
        Assert.Empty(report.Reasons);
    }

    [Fact]
    public void Fails_and_names_the_layer_when_a_forward_check_fails()
    {
        var report = SyntheticReport.Create(epochs: 5, testCount: 20, failForward: true);
        Assert.Equal("FAIL", report.Verdict);
        var reason = Assert.Single(report.Reasons);
        Assert.Contains("forward softmax (f32, first batch)", reason);
        Assert.Contains("f32 forward", reason);
    }

    [Fact]
    public void Fails_when_a_run_diverged()
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var training = r.Training.Select((t, i) => i == 1 ? t with { Diverged = "NaN loss at epoch 3" } : t).ToList();
        var v = Judge.Decide(r.Forward, r.Gradients, training, Tolerances.LockstepDriftFloat64);
        Assert.False(v.Passed);
        Assert.Contains("scratch corrected diverged: NaN loss at epoch 3", v.Reasons);
    }

    [Theory]
    [InlineData(1e-5)]
    [InlineData(double.NaN)]
    public void Fails_when_the_lockstep_twin_ends_too_far_apart(double drift)
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var training = r.Training.Select(t => t.Model.Contains("lockstep")
            ? t with { Epochs = [.. t.Epochs.Take(4), t.Epochs[^1] with { MaxParamRelDiff = drift }] } : t).ToList();
        var v = Judge.Decide(r.Forward, r.Gradients, training, Tolerances.LockstepDriftFloat64);
        Assert.Equal("FAIL", v.Verdict);
        Assert.Contains(Tolerances.LockstepDriftFloat64.Name, Assert.Single(v.Reasons));
    }

    /// <summary>A spec's lockstep run: the drift is held to the larger of the limit and 100× the engine's own sensitivity.</summary>
    [Theory]
    [InlineData(2e-5, 1e-6, true)]   // rounding amplified by a long run: within 100 × 1e-6
    [InlineData(2e-5, 1e-8, false)]  // 2e-5 is more than 100 × 1e-8 (and more than the limit)
    [InlineData(2e-5, null, false)]  // no sensitivity measured: the limit alone
    public void A_spec_lockstep_run_is_held_to_its_sensitivity_where_that_is_larger(double drift, double? sensitivity, bool passes)
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var training = r.Training.Select(t => t.Model.Contains("lockstep")
            ? t with { Epochs = [.. t.Epochs.Take(4), t.Epochs[^1] with { MaxParamRelDiff = drift, Sensitivity = sensitivity }] } : t).ToList();
        var limit = Tolerances.SpecLockstepDrift(CnnParity.Core.Dtype.Float64);

        var v = Judge.Decide(r.Forward, r.Gradients, training, limit);

        Assert.Equal(passes, v.Passed);
        if (!passes) Assert.Contains(limit.Name, Assert.Single(v.Reasons));
    }

    [Fact]
    public void A_failed_gradient_check_fails_the_verdict()
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var gradients = r.Gradients.Select((g, i) => i == 0 ? g with { Pass = false } : g).ToList();
        var v = Judge.Decide(r.Forward, gradients, r.Training, new DriftLimit("loose", 1, "test"));
        Assert.Equal("FAIL", v.Verdict);
        Assert.StartsWith("gradient kernels (f64, manual vs autograd)", Assert.Single(v.Reasons));
    }
}
