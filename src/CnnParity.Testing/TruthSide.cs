namespace CnnParity.Testing;

/// <summary>
/// One side of a check judged against the float64 truth: how far its float32 tensor is from the truth, where, and
/// how that compares with the rounding bound measured from the other side.
/// </summary>
/// <param name="MaxAbs">max |float32 − truth| over the tensor</param>
/// <param name="At">the index of that element (empty for a scalar)</param>
/// <param name="RatioToBound">max over elements of |float32 − truth| / bound; within when at most 1</param>
/// <param name="DecidedByRounding">elements on which this side's float32 took the other branch of a ReLU, ReLU6 or
/// max-pool kink than float64 did (zero against non-zero) while within the rounding bound of that kink</param>
public sealed record TruthSide(double MaxAbs, IReadOnlyList<long> At, double RatioToBound, long DecidedByRounding)
{
    /// <summary>The side is within its rounding bound.</summary>
    public bool Within => RatioToBound <= 1;
}
