namespace CnnParity.Parity;

/// <summary>
/// A named upper limit on how far two models trained in lockstep may drift apart (the largest relative parameter
/// difference), with the reason for its size: a limit on one number, where a
/// <see cref="CnnParity.Testing.Tolerance"/> bounds every element of a tensor.
/// </summary>
public sealed record DriftLimit(string Name, double Limit, string Why)
{
    /// <summary>True when <paramref name="value"/> is within the limit. NaN is never within it.</summary>
    public bool Accepts(double value) => value <= Limit;

    /// <summary>
    /// The limit for a lockstep epoch that measured the engine's own <paramref name="sensitivity"/> (a spec's run): the
    /// larger of <see cref="Limit"/> and <see cref="Tolerances.SpecLockstepSensitivityFactor"/> times it.
    /// </summary>
    public double Allowance(double? sensitivity) => Tolerances.SpecLockstepAllowance(Limit, sensitivity);
}
