using System.Globalization;
using CnnParity.Core;
using CnnParity.Parity;
using CnnParity.Parity.Results;

namespace CnnParity.Reports;

/// <summary>
/// Decides the verdict, PASS or FAIL, from the checks (a <see cref="Judgement"/>). The only place that judges: the
/// writers format what this says.
/// </summary>
public static class Judge
{
    /// <summary>
    /// FAIL when any forward or gradient comparison failed its tolerance, any run diverged, a lockstep run
    /// (a run that records <see cref="EpochRecord.MaxParamRelDiff"/>) ends further from its twin than
    /// <paramref name="lockstep"/> allows (a spec's run: or its factor of the engine's own sensitivity, if larger), or the
    /// deployed model's outputs are outside their tolerance or classify an image differently where rounding cannot explain it.
    /// </summary>
    public static Judgement Decide(
        IReadOnlyList<LayerComparison> forward,
        IReadOnlyList<GradientComparison> gradients,
        IReadOnlyList<TrainingRun> training,
        DriftLimit lockstep,
        DeployedModel? deployed = null)
    {
        var reasons = new List<string>();
        foreach (var c in forward.Where(c => !c.Pass))
            reasons.Add($"forward {c.Layer} ({c.Dtype.ShortName()}, {c.Scope}): max abs {G(c.Distance.MaxAbs)}, max rel {G(c.Distance.MaxRel)} " +
                        $"outside tolerance '{c.Tolerance.Name}' (rtol {G(c.Tolerance.Rtol)}, atol {G(c.Tolerance.Atol)})");
        foreach (var c in gradients.Where(c => !c.Pass))
            reasons.Add($"gradient {c.Tensor} ({c.Dtype.ShortName()}, {c.Pair}): max abs {G(c.Distance.MaxAbs)}, max rel {G(c.Distance.MaxRel)} " +
                        $"outside tolerance '{c.Tolerance.Name}' (rtol {G(c.Tolerance.Rtol)}, atol {G(c.Tolerance.Atol)})");
        foreach (var run in training.Where(r => r.Diverged is not null))
            reasons.Add($"{run.Model} diverged: {run.Diverged}");
        foreach (var run in training)
        {
            // The last epoch that recorded a drift is the run's final word on how far the twins are apart.
            var last = run.Epochs.LastOrDefault(e => e.MaxParamRelDiff is not null);
            if (last?.MaxParamRelDiff is double drift && !(drift <= lockstep.Allowance(last.Sensitivity)))
                reasons.Add($"{run.Model}: max parameter relative difference {G(drift)} at epoch {last.Epoch} " +
                            $"exceeds '{lockstep.Name}' ({G(lockstep.Allowance(last.Sensitivity))}" +
                            (last.Sensitivity is double s ? $": {G(Tolerances.SpecLockstepSensitivityFactor)} × the engine's own sensitivity {G(s)}, or {G(lockstep.Limit)})" : ")"));
        }
        foreach (var c in deployed?.Checks.Where(c => !c.Pass) ?? [])
            reasons.Add(c.FailLine()!);
        foreach (var a in deployed?.Agreements.Where(a => a.Unexplained > 0) ?? [])
            reasons.Add($"{a.Implementation} deployed: {a.Unexplained} test images classified unlike the float64 truth " +
                        $"by a margin rounding cannot explain (first: image {a.Flips.First(f => !f.Explained).Image})");
        return new Judgement(reasons.Count == 0 ? Judgement.Pass : Judgement.Fail, reasons);
    }

    /// <summary>3 significant digits; scientific ("1e-5", "2.2e-16") outside [0.001, 10000).</summary>
    private static string G(double x) =>
        double.IsFinite(x) && x != 0 && Math.Abs(x) is < 1e-3 or >= 1e4
            ? x.ToString("0.##e+0", CultureInfo.InvariantCulture)
            : x.ToString("G3", CultureInfo.InvariantCulture);
}
