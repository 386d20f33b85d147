namespace CnnParity.Testing;

/// <summary>
/// A float32 check decided by the float64 truth, for a golden that carries a float64 shadow: the golden's float64
/// tensor is the truth once the port's float64 tensor agrees with it (the same maths in float64); then each side's
/// float32 tensor must lie within <c>assert_close-f32 + κ·(the other side's rounding)</c> of it, κ =
/// <see cref="Kappa"/>. The side outside is the one blamed.
/// </summary>
/// <param name="Port">the port's float32 tensor against the truth</param>
/// <param name="Golden">PyTorch's float32 tensor against the truth</param>
/// <param name="Float64MaxAbs">max |port float64 − golden float64|</param>
/// <param name="Float64Agrees">the two float64 tensors pass assert_close's float64 tolerance: the truth is confirmed</param>
/// <param name="Blamed">"port", "golden", or null when the check passes</param>
/// <param name="Reason">the verdict in one line, e.g. <c>port layer1.0.bn1 (f32): 3.10e-3 from the float64 truth at (1, 7, 3, 2), 410× its rounding bound; golden: 2.00e-7 (within)</c></param>
public sealed record TruthJudgement(TruthSide Port, TruthSide Golden, double Float64MaxAbs, bool Float64Agrees, string? Blamed, string Reason)
{
    /// <summary>
    /// κ: the port may round up to κ times as much as PyTorch did on the same tensor (and PyTorch as much as the
    /// port): two float32 implementations of the same sums differ in summation order and kernels, not in kind.
    /// </summary>
    public const double Kappa = 8;

    /// <summary>
    /// Elements decided by rounding that this check was excused for: for a forward output, the port's own flips
    /// within the bound; for a gradient or a step that failed its bound on the port's side, the flips in the whole
    /// forward pass (provided the float64 check of the same tensor passed).
    /// </summary>
    public long DecidedByRounding { get; init; }
}
