namespace CnnParity.Testing;

/// <summary>
/// How <see cref="ModuleParity.Compare(TorchSharp.torch.nn.Module{TorchSharp.torch.Tensor, TorchSharp.torch.Tensor}, TorchGolden, ParityOptions)"/>
/// pairs the port's tensors with the golden's, for what alignment by value cannot settle. Names are the golden's
/// (PyTorch's); patterns may use <c>*</c> (any run of characters, dots included) and <c>?</c> (one character).
/// </summary>
public sealed record ParityOptions
{
    /// <summary>One tolerance for every tensor; null for the defaults (the float64 truth, or assert_close's per dtype).</summary>
    public Tolerance? Tolerance { get; init; }

    /// <summary>What is compared with what; "{module} vs PyTorch {version} golden {file}" when null.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// Golden output name or pattern → the port's name for it, e.g. <c>["*.relu"] = "*.relu1"</c>: each <c>*</c>
    /// of the replacement takes what the pattern's <c>*</c> at the same position matched. The first matching
    /// entry wins.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Rename { get; init; }

    /// <summary>Golden names or patterns (outputs, parameters, buffers) left out of the comparison, e.g. <c>AuxLogits.*</c>.</summary>
    public IReadOnlyList<string>? Ignore { get; init; }
}
