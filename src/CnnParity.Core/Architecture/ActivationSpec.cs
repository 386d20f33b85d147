namespace CnnParity.Core.Architecture;

/// <summary>An elementwise nonlinearity.</summary>
public enum ActivationKind
{
    /// <summary>torch.nn.Tanh.</summary>
    Tanh,

    /// <summary>torch.nn.ReLU: max(0, x); its derivative at 0 is taken as 0, as PyTorch's.</summary>
    ReLU,

    /// <summary>torch.nn.Sigmoid: 1 / (1 + exp(-x)).</summary>
    Sigmoid,

    /// <summary>
    /// torch.nn.ReLU6: min(max(x, 0), 6), PyTorch's hardtanh(0, 6); its derivative is 1 strictly between the kinks
    /// 0 and 6 and 0 at and beyond them, as PyTorch's hardtanh_backward.
    /// </summary>
    ReLU6,
}

/// <summary><c>tanh</c>, <c>relu</c>, <c>sigmoid</c>, <c>relu6</c>: shape-preserving, on images and on vectors alike.</summary>
public sealed record ActivationSpec(ActivationKind Kind) : LayerSpec
{
    public override string Keyword => Kind switch
    {
        ActivationKind.Tanh => "tanh",
        ActivationKind.ReLU => "relu",
        ActivationKind.Sigmoid => "sigmoid",
        ActivationKind.ReLU6 => "relu6",
        _ => throw new ArgumentOutOfRangeException(nameof(Kind), Kind, "no grammar word for this activation"),
    };

    public override string Text => Keyword;

    public override ActivationShape OutputShape(ActivationShape input) => input;
}
