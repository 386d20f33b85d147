namespace CnnParity.Core.Architecture;

/// <summary>Which reduction a pooling layer takes over its window.</summary>
public enum PoolKind
{
    /// <summary>torch.nn.MaxPool2d: the largest value (the first one on ties, as PyTorch's index).</summary>
    Max,

    /// <summary>torch.nn.AvgPool2d: the mean of the window (no padding, so always K² values).</summary>
    Average,
}

/// <summary>
/// <c>maxpool(k=K[,s=S])</c> and <c>avgpool(k=K[,s=S])</c>: torch.nn.MaxPool2d / AvgPool2d(K, stride=S), no padding,
/// floor mode (https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html). The stride defaults to K.
/// </summary>
public sealed record Pool2dSpec(PoolKind Kind, int Kernel, int Stride) : LayerSpec
{
    public override string Keyword => Kind == PoolKind.Max ? "maxpool" : "avgpool";

    public override string Text => Stride == Kernel ? $"{Keyword}(k={Kernel})" : $"{Keyword}(k={Kernel},s={Stride})";

    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireImage(input);
        if (Kernel > input.Height || Kernel > input.Width)
            throw new LayerProblem($"window {Kernel} is larger than its {input.Height}x{input.Width} input");
        return ActivationShape.Image(input.Channels, (input.Height - Kernel) / Stride + 1, (input.Width - Kernel) / Stride + 1);
    }
}
