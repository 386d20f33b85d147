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
}
