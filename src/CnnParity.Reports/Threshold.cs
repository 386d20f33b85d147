namespace CnnParity.Reports;

/// <summary>A named upper limit on one number the verdict looks at, with the reason for its size.</summary>
public sealed record Threshold(string Name, double Limit, string Why)
{
    /// <summary>True when <paramref name="value"/> is within the limit. NaN is never within it.</summary>
    public bool Accepts(double value) => value <= Limit;

    /// <summary>
    /// The limit for a lockstep epoch that measured the engine's own <paramref name="sensitivity"/> (a spec's run): the
    /// larger of <see cref="Limit"/> and <see cref="CnnParity.Parity.Tolerances.SpecLockstepSensitivityFactor"/> times it.
    /// </summary>
    public double Allowance(double? sensitivity) => CnnParity.Parity.Tolerances.SpecLockstepAllowance(Limit, sensitivity);
}
