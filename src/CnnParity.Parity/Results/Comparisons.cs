using CnnParity.Core;
using CnnParity.Testing;

namespace CnnParity.Parity.Results;

/// <summary>One layer of the forward pass, from-scratch vs TorchSharp.</summary>
/// <param name="Layer">conv_output, tanh, dropout, logits, softmax</param>
/// <param name="Scope">"first batch" or "test set"</param>
public sealed record LayerComparison(string Layer, Dtype Dtype, string Scope, TensorDistance Distance, Tolerance Tolerance, bool Pass);

/// <summary>One gradient tensor compared between two sources.</summary>
/// <param name="Tensor">kernels or weights_1_2</param>
/// <param name="Pair">e.g. "manual vs autograd", "manual vs finite differences"</param>
/// <param name="Checked">elements compared (finite differences check a sample of weights_1_2)</param>
public sealed record GradientComparison(string Tensor, Dtype Dtype, string Pair, TensorDistance Distance, Tolerance Tolerance, bool Pass, int Checked);

/// <summary>The book's update against the true descent step (-lr * gradient) for one tensor, on one batch.</summary>
/// <param name="Cosine">cosine similarity of book step and descent step: -1 means exactly uphill</param>
/// <param name="NormRatio">|book step| / |descent step|</param>
public sealed record BookRuleFinding(string Tensor, double Cosine, double NormRatio, string Finding);
