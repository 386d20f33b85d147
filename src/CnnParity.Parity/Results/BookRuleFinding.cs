namespace CnnParity.Parity.Results;

/// <summary>The book's update against the true descent step (-lr * gradient) for one of the notebook's tensors (kernels, weights_1_2), on one batch.</summary>
/// <param name="Cosine">cosine similarity of book step and descent step: -1 means exactly uphill</param>
/// <param name="NormRatio">|book step| / |descent step|</param>
public sealed record BookRuleFinding(string Tensor, double Cosine, double NormRatio, string Finding);
