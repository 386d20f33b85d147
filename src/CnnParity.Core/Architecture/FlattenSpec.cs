namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>flatten</c>: torch.nn.Flatten() — an image C x H x W becomes a vector of C·H·W values in NCHW order
/// (channel-major), the order every layout in this project uses for a flattened image.
/// </summary>
public sealed record FlattenSpec : LayerSpec
{
    public override string Keyword => "flatten";

    public override string Text => Keyword;

    public override ActivationShape OutputShape(ActivationShape input)
    {
        if (input.IsVector)
            throw new LayerProblem("its input is already a vector: flatten once, after the image layers");
        return ActivationShape.Vector(input.Size);
    }
}
