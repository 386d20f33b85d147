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
}

/// <summary><c>tanh</c>, <c>relu</c>, <c>sigmoid</c>: shape-preserving, on images and on vectors alike.</summary>
public sealed record ActivationSpec(ActivationKind Kind) : LayerSpec
{
    public override string Keyword => Kind switch
    {
        ActivationKind.Tanh => "tanh",
        ActivationKind.ReLU => "relu",
        _ => "sigmoid",
    };

    public override string Text => Keyword;

    public override ActivationShape OutputShape(ActivationShape input) => input;
}
