namespace CnnParity.Testing;

/// <summary>
/// The knobs of <see cref="GradCheck"/>, with torch.autograd.gradcheck's defaults: central differences with
/// eps 1e-6, and an analytical entry <c>a</c> accepted against the numerical <c>n</c> when
/// <c>|a − n| ≤ atol + rtol·|n|</c> with atol 1e-5, rtol 1e-3.
/// </summary>
public sealed record GradCheckOptions
{
    /// <summary>The finite-difference step (gradcheck's <c>eps</c>).</summary>
    public double Eps { get; init; } = FiniteDifferences.DefaultStep;

    /// <summary>Absolute tolerance (gradcheck's <c>atol</c>).</summary>
    public double Atol { get; init; } = 1e-5;

    /// <summary>Relative tolerance (gradcheck's <c>rtol</c>).</summary>
    public double Rtol { get; init; } = 1e-3;

    /// <summary>
    /// Compare one random projection uᵀJv per input instead of the whole Jacobian (gradcheck's <c>fast_mode</c>):
    /// two function evaluations and one backward per input instead of two per input element and one per output
    /// element. For large tensors; a failure says which input, and slow mode then names the worst entry.
    /// </summary>
    public bool FastMode { get; init; }

    /// <summary>Seed of fast mode's random vectors, so a run is repeatable.</summary>
    public long Seed { get; init; }
}
