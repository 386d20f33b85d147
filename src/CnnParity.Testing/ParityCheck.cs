using TorchSharp;

namespace CnnParity.Testing;

/// <summary>One named tensor held against its reference: a submodule's output, the loss, a parameter's gradient, a parameter after a training step.</summary>
/// <param name="Stage">"forward", "loss", "gradient", or "step N" for lockstep training</param>
/// <param name="Name">the submodule or parameter name, as <c>named_modules()</c> / <c>named_parameters()</c> give it</param>
/// <param name="Shape">the reference's shape</param>
/// <param name="DType">the reference's dtype (ULPs are counted in it)</param>
/// <param name="Distance">how far apart; null when the two could not be compared (see <paramref name="Problem"/>)</param>
/// <param name="Tolerance">what was allowed</param>
/// <param name="Pass">every element within <paramref name="Tolerance"/></param>
/// <param name="Problem">why the tensors could not be compared (missing, other shape, forward threw); null when they were</param>
public sealed record ParityCheck(string Stage, string Name, IReadOnlyList<long> Shape, torch.ScalarType DType, TensorDistance? Distance, Tolerance Tolerance,
    bool Pass, string? Problem = null)
{
    /// <summary>
    /// The port's output of another name whose values matched this golden output (a ReLU named <c>relu1</c> for
    /// PyTorch's <c>relu</c>, a block's output for an activation applied as a function inside it); null when the
    /// names matched.
    /// </summary>
    public string? MatchedByValue { get; init; }

    /// <summary>
    /// The float64 truth's verdict on this float32 check, when the golden carries a float64 shadow; null otherwise
    /// (the check then holds the port against PyTorch's float32 values with <see cref="Tolerance"/>).
    /// </summary>
    public TruthJudgement? Truth { get; init; }
}
