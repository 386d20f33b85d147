using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;

namespace CnnParity.Reports;

/// <summary>
/// Decides the verdict, PASS or FAIL, from the checks (a <see cref="Judgement"/>). The only place that decides one: each
/// check row is judged by <see cref="Parity.RowJudge"/>, and the writers format what this says.
/// </summary>
public static class Judge
{
    /// <summary>
    /// FAIL when any row of the checks failed (<see cref="SpecParityResult.Reasons"/>: a forward or gradient comparison
    /// outside its tolerance, a lockstep epoch that drifted past its limit, a lockstep run that stopped), any of the
    /// <paramref name="training"/> runs besides the lockstep's diverged, or the deployed model's outputs are outside their
    /// tolerance or classify an image differently where rounding cannot explain it.
    /// </summary>
    public static Judgement Decide(SpecParityResult checks, IReadOnlyList<TrainingRun> training, DeployedModel? deployed = null)
    {
        var reasons = new List<string>(checks.Reasons);
        foreach (var run in training.Where(r => r.Diverged is not null))
            reasons.Add($"{run.Model} diverged: {run.Diverged}");
        foreach (var c in deployed?.Comparisons.Where(c => !c.Pass) ?? [])
            reasons.Add($"deployed model {c.Output} ({c.Runtime} vs {c.Reference}): max abs {G(c.Distance.MaxAbs)}, max rel {G(c.Distance.MaxRel)} " +
                        $"outside tolerance '{c.Tolerance.Name}' (rtol {G(c.Tolerance.Rtol)}, atol {G(c.Tolerance.Atol)})");
        foreach (var a in deployed?.Agreements.Where(a => a.Unexplained > 0) ?? [])
            reasons.Add($"deployed model: {a.Unexplained} test images classified differently by {a.Runtime} and {a.Reference} " +
                        $"with a margin rounding cannot explain (first: image {a.Flips.First(f => !f.Explained).Image})");
        return new Judgement(reasons.Count == 0 ? Judgement.Pass : Judgement.Fail, reasons);
    }

    /// <summary>3 significant digits; scientific ("1e-5", "2.2e-16") outside [0.001, 10000).</summary>
    private static string G(double x) =>
        double.IsFinite(x) && x != 0 && Math.Abs(x) is < 1e-3 or >= 1e4
            ? x.ToString("0.##e+0", System.Globalization.CultureInfo.InvariantCulture)
            : x.ToString("G3", System.Globalization.CultureInfo.InvariantCulture);
}
