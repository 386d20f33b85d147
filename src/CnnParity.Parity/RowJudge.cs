using System.Globalization;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity;

/// <summary>
/// Where a network's checks become its reasons to fail: every forward and gradient row is already judged against the
/// float64 truth (<see cref="TriagedCheck"/>, which names the side that is wrong); a lockstep epoch is judged here (its
/// drift between engine and twin against its limit, or against the engine's own sensitivity where rounding alone has
/// carried the run further).
/// </summary>
public static class RowJudge
{
    /// <summary>
    /// Whether a lockstep epoch's drift is within <paramref name="limit"/>, or, where rounding alone has carried the run
    /// further, within <see cref="Tolerances.SpecLockstepSensitivityFactor"/> times the engine's own sensitivity
    /// (<see cref="LockstepEpoch.Allowance"/>). NaN is never within it.
    /// </summary>
    public static bool Accepts(LockstepEpoch epoch, double limit) => epoch.Judged.All(j => j.Drift <= epoch.Allowance(limit));

    /// <summary>Why a lockstep epoch failed, in one line that names the side: "TorchSharp twin lockstep: drift from the float64 truth …".</summary>
    public static string Reason(LockstepEpoch e, double limit)
    {
        var beyond = e.Judged.Where(j => !(j.Drift <= e.Allowance(limit))).ToList();
        string what = e.EngineFromTruth is null
            ? $"lockstep drift {G(e.Drift)} between {beyond[0].Side}"
            : string.Join("; ", beyond.Select(j => $"{j.Side} lockstep: drift from the float64 truth {G(j.Drift)}"));
        return $"{what} after epoch {e.Epoch} exceeds {G(e.Allowance(limit))}" +
            (e.Sensitivity is double sensitivity ? $" (the larger of {G(limit)} and {G(Tolerances.SpecLockstepSensitivityFactor)} × the engine's own sensitivity {G(sensitivity)})" : "");
    }

    /// <summary>Every failed row of one network's checks, one line each: forward, then gradients, then the first epoch that drifted too far.</summary>
    public static IEnumerable<string> Reasons(IEnumerable<TriagedCheck> forward, IEnumerable<TriagedCheck> gradients,
        IEnumerable<LockstepEpoch> lockstep, double? limit)
    {
        foreach (var c in forward.Concat(gradients).Where(c => !c.Pass)) yield return c.FailLine()!;
        if (limit is double l && lockstep.FirstOrDefault(e => !Accepts(e, l)) is { } drifted) yield return Reason(drifted, l);
    }

    static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
