using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// What <see cref="ParitySequence"/> found for one network: its checks, row by row (<see cref="Result"/>: forward per named
/// layer, gradients per named parameter, the lockstep epochs against their limit, ch10's book-rule findings), and the
/// lockstep run itself (its two training runs and the engine's final weights). The verdict follows from these and from
/// whatever else the caller trained or deployed.
/// </summary>
public sealed record ParityChecks(SpecParityResult Result, SpecLockstep.Result Lockstep)
{
    /// <summary>The from-scratch side of the lockstep run.</summary>
    public TrainingRun EngineLockstep => Lockstep.Engine;

    /// <summary>The twin's side, whose epochs record the drift (<see cref="EpochRecord.MaxParamRelDiff"/>) and the flips.</summary>
    public TrainingRun TwinLockstep => Lockstep.Twin;

    /// <summary>PASS or FAIL over these checks, the <paramref name="others"/> runs (besides the lockstep's) and the deployed model.</summary>
    public Judgement Decide(IReadOnlyList<TrainingRun> others, DeployedModel? deployed = null) => Judge.Decide(Result, others, deployed);
}
