using CnnParity.Core;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Reports;

namespace CnnParity.Reports.Tests;

/// <summary>The verdict: from the checks' rows (judged by <see cref="RowJudge"/>), the other runs and the deployed model.</summary>
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
        Assert.StartsWith("engine loss (f32, first batch): 0.2 from the float64 truth at (17), 2.1e+6× its rounding bound", reason);
        Assert.Contains("TorchSharp twin too: ", reason);
    }

    [Fact]
    public void Fails_when_a_run_diverged()
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var training = r.Training.Select((t, i) => i == 0 ? t with { Diverged = "NaN loss at epoch 3" } : t).ToList();
        var v = Judge.Decide(r.Checks, training);
        Assert.False(v.Passed);
        Assert.Contains($"{SyntheticReport.BookRun} diverged: NaN loss at epoch 3", v.Reasons);
    }

    /// <summary>A lockstep run that stopped is a failed check, said once.</summary>
    [Fact]
    public void Fails_when_the_lockstep_run_stopped()
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var v = Judge.Decide(r.Checks with { Problem = "diverged at epoch 2: engine conv1.weight holds NaN; training stopped" }, []);
        Assert.Equal("diverged at epoch 2: engine conv1.weight holds NaN; training stopped", Assert.Single(v.Reasons));
    }

    /// <summary>Every lockstep epoch is held to the limit, not only the last (a NaN drift is never within it).</summary>
    [Theory]
    [InlineData(1e-5, 4)]
    [InlineData(1e-5, 1)]
    [InlineData(double.NaN, 4)]
    public void Fails_when_the_lockstep_twin_drifts_too_far(double drift, int epoch)
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var checks = r.Checks with { Lockstep = [.. r.Checks.Lockstep.Select(e => e.Epoch == epoch ? e with { Drift = drift } : e)] };
        var v = Judge.Decide(checks, []);
        Assert.Equal("FAIL", v.Verdict);
        Assert.StartsWith($"lockstep drift {drift:G3} between engine and TorchSharp twin after epoch {epoch} exceeds 1E-06", Assert.Single(v.Reasons));
    }

    /// <summary>A lockstep run is held to the larger of its limit and 100× the engine's own sensitivity.</summary>
    [Theory]
    [InlineData(2e-5, 1e-6, true)]   // rounding amplified by a long run: within 100 × 1e-6
    [InlineData(2e-5, 1e-8, false)]  // 2e-5 is more than 100 × 1e-8 (and more than the limit)
    [InlineData(2e-5, null, false)]  // no sensitivity measured: the limit alone
    public void A_lockstep_run_is_held_to_its_sensitivity_where_that_is_larger(double drift, double? sensitivity, bool passes)
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        double limit = Tolerances.Spec.Lockstep(Dtype.Float64).Limit;
        var checks = r.Checks with
        {
            Lockstep = [.. r.Checks.Lockstep.Take(4), r.Checks.Lockstep[^1] with { Drift = drift, Sensitivity = sensitivity }],
            LockstepLimit = limit,
        };

        var v = Judge.Decide(checks, []);

        Assert.Equal(passes, v.Passed);
        if (!passes) Assert.StartsWith("lockstep drift 2E-05 between engine and TorchSharp twin after epoch 4 exceeds", Assert.Single(v.Reasons));
    }

    [Fact]
    public void A_failed_gradient_check_fails_the_verdict()
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var failed = SyntheticReport.Check("gradient", "conv1.weight", Core.Dtype.Float32, "first batch", 3e-4, 850, Parity.Triage.RoundingBound.Name, 36);
        var checks = r.Checks with { Gradients = [failed, .. r.Gradients.Skip(1)] };
        var v = Judge.Decide(checks, r.Training);
        Assert.Equal("FAIL", v.Verdict);
        Assert.Equal("engine conv1.weight (f32, gradient, first batch): 3e-4 from the float64 truth at (17), 850× its rounding bound (36 of 36 elements outside); " +
            "TorchSharp twin too: 2.4e-4 from the float64 truth at (23), 680× its rounding bound (30 of 36 elements outside)", Assert.Single(v.Reasons));
    }
}
