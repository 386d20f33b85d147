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
    bool Pass, string? Problem = null);
