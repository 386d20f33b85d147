using CnnParity.Core;
using CnnParity.Testing;

namespace CnnParity.Parity.Results;

/// <summary>One layer of the forward pass, from-scratch vs TorchSharp.</summary>
/// <param name="Layer">the spec's layer name (conv1, crop, tanh1, dropout1, flatten, dense1...), or "loss"</param>
/// <param name="Scope">"first batch" or "test set (N, eval)"</param>
public sealed record LayerComparison(string Layer, Dtype Dtype, string Scope, TensorDistance Distance, Tolerance Tolerance, bool Pass);

/// <summary>One gradient tensor compared between two sources.</summary>
/// <param name="Tensor">the spec's parameter name (conv1.weight, dense1.bias...)</param>
/// <param name="Pair">e.g. "autograd vs manual", "manual vs finite differences"</param>
/// <param name="Checked">elements compared (finite differences check a sample of each tensor)</param>
public sealed record GradientComparison(string Tensor, Dtype Dtype, string Pair, TensorDistance Distance, Tolerance Tolerance, bool Pass, int Checked);

/// <summary>The book's update against the true descent step (-lr * gradient) for one of the notebook's tensors (kernels, weights_1_2), on one batch.</summary>
/// <param name="Cosine">cosine similarity of book step and descent step: -1 means exactly uphill</param>
/// <param name="NormRatio">|book step| / |descent step|</param>
public sealed record BookRuleFinding(string Tensor, double Cosine, double NormRatio, string Finding);
