using CnnParity.Core;
using CnnParity.Parity.Results;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Every check of one spec: forward per named layer, gradients per named parameter, the lockstep epochs (if run)
/// against <paramref name="LockstepLimit"/> (or, where rounding alone has grown past it, against the engine's own
/// sensitivity: <see cref="LockstepEpoch.Allowance"/>); or the problem that stopped it (a divergence, an exception).
/// </summary>
/// <param name="Index">the spec's index in its grid, or null for a spec given by --arch</param>
/// <param name="Spec">the spec's text (a preset's name for a preset)</param>
public sealed record SpecParityResult(
    int? Index,
    string Spec,
    IReadOnlyList<LayerComparison> Forward,
    IReadOnlyList<GradientComparison> Gradients,
    IReadOnlyList<LockstepEpoch> Lockstep,
    double? LockstepLimit,
    string? Problem)
{
    /// <summary>A spec that could not be checked at all.</summary>
    public static SpecParityResult Failed(int? index, string spec, string problem) => new(index, spec, [], [], [], null, problem);

    /// <summary>Every check ran and passed (and there was something to check).</summary>
    public bool Passed => Reasons.Count == 0;

    /// <summary>One line per failed check (empty when the spec passed).</summary>
    public IReadOnlyList<string> Reasons
    {
        get
        {
            var reasons = new List<string>();
            if (Problem is not null) reasons.Add(Problem);
            else
            {
                if (Forward.Count == 0) reasons.Add("no forward check ran");
                if (Gradients.Count == 0) reasons.Add("no gradient check ran");
            }
            foreach (var f in Forward.Where(f => !f.Pass))
                reasons.Add($"forward {f.Layer} ({f.Dtype.ShortName()}, {f.Scope}): max abs {f.Distance.MaxAbs:G3}, max rel {f.Distance.MaxRel:G3} outside {f.Tolerance.Name}");
            foreach (var g in Gradients.Where(g => !g.Pass))
                reasons.Add($"gradient {g.Tensor} ({g.Dtype.ShortName()}, {g.Pair}): max abs {g.Distance.MaxAbs:G3}, max rel {g.Distance.MaxRel:G3} outside {g.Tolerance.Name}");
            if (LockstepLimit is double limit && Lockstep.FirstOrDefault(e => !(e.Drift <= e.Allowance(limit))) is { } drifted)
                reasons.Add($"lockstep drift {drifted.Drift:G3} after epoch {drifted.Epoch} exceeds {drifted.Allowance(limit):G3}" +
                    (drifted.Sensitivity is double sensitivity ? $" (the larger of {limit:G3} and {Tolerances.SpecLockstepSensitivityFactor:G3} × the engine's own sensitivity {sensitivity:G3})" : ""));
            return reasons;
        }
    }

    /// <summary>The forward check farthest from its expectation (by max relative difference), or null.</summary>
    public LayerComparison? WorstForward => Forward.MaxBy(f => f.Distance.MaxRel);

    /// <summary>The gradient check farthest from its expectation (by max relative difference), or null.</summary>
    public GradientComparison? WorstGradient => Gradients.MaxBy(g => g.Distance.MaxRel);
}
