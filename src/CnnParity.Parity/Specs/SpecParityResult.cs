using CnnParity.Parity.Results;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Every check of one network (ch10 or any spec): forward per named layer, gradients per named parameter, the lockstep
/// epochs (if run) against <paramref name="LockstepLimit"/> (or, where rounding alone has grown past it, against the
/// engine's own sensitivity: <see cref="LockstepEpoch.Allowance"/>), judged row by row by <see cref="RowJudge"/>; or the
/// problem that stopped it (a divergence, an exception). ch10 adds the book rule's findings at initialisation.
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
    /// <summary>The spec's canonical text, where <see cref="Spec"/> names a preset (ch10 with its kernels and crop written out); else null.</summary>
    public string? Text { get; init; }

    /// <summary>What the book's update rule does at initialisation (<see cref="BookRuleAnalysis"/>): ch10 only, empty for any other spec.</summary>
    public IReadOnlyList<BookRuleFinding> BookRule { get; init; } = [];

    /// <summary>The test images engine and twin classified differently during the lockstep run (every 25th and the last epoch).</summary>
    public IReadOnlyList<PredictionFlip> Flips { get; init; } = [];

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
            reasons.AddRange(RowJudge.Reasons(Forward, Gradients, Lockstep, LockstepLimit));
            return reasons;
        }
    }

    /// <summary>The forward check farthest from its expectation (by max relative difference), or null.</summary>
    public LayerComparison? WorstForward => Forward.MaxBy(f => f.Distance.MaxRel);

    /// <summary>The gradient check farthest from its expectation (by max relative difference), or null.</summary>
    public GradientComparison? WorstGradient => Gradients.MaxBy(g => g.Distance.MaxRel);
}
