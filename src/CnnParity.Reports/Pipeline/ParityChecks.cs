using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// What <see cref="ParitySequence"/> found: forward per named layer, gradients per named parameter, the book-rule
/// findings (ch10 only), and the
/// lockstep run of the from-scratch network and its twin, with the limit its drift is held to. The verdict follows from
/// these and from whatever else the caller trained or deployed.
/// </summary>
/// <param name="ScratchLockstep">the from-scratch side of the lockstep run</param>
/// <param name="TwinLockstep">the twin's side, whose epochs record the drift (<see cref="EpochRecord.MaxParamRelDiff"/>)</param>
/// <param name="LockstepLimit">the largest drift the verdict accepts at the end of the run</param>
/// <param name="SpecLockstep">a spec's lockstep run as its parity JSON records it (epochs, drift, the engine's final
/// weights); null for ch10</param>
public sealed record ParityChecks(
    IReadOnlyList<LayerComparison> Forward,
    IReadOnlyList<GradientComparison> Gradients,
    IReadOnlyList<BookRuleFinding> BookRule,
    TrainingRun ScratchLockstep,
    TrainingRun TwinLockstep,
    DriftLimit LockstepLimit,
    SpecLockstep.Result? SpecLockstep = null)
{
    /// <summary>PASS or FAIL over these checks and <paramref name="training"/> (the lockstep runs among them) and the deployed model.</summary>
    public Judgement Decide(IReadOnlyList<TrainingRun> training, DeployedModel? deployed = null) =>
        Judge.Decide(Forward, Gradients, training, LockstepLimit, deployed);
}
