namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>gap</c>: global average pooling, torch.nn.AdaptiveAvgPool2d(1)
/// (https://pytorch.org/docs/stable/generated/torch.nn.AdaptiveAvgPool2d.html): each C x H x W image becomes C x 1 x 1,
/// the mean of each channel's plane. A spec takes it once (a second one would average a single value): it is named
/// <c>gap</c>, as <c>flatten</c> is.
/// </summary>
public sealed record GlobalAvgPoolSpec : LayerSpec
{
    public override string Keyword => "gap";

    public override string Text => Keyword;

    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireImage(input);
        return ActivationShape.Image(input.Channels, 1, 1);
    }
}
