namespace CnnParity.Core.Architecture;

/// <summary>
/// Keeps the top-left <see cref="Side"/> x <see cref="Side"/> of each plane. Only the <c>ch10</c> preset has it: the book
/// loops over <c>range(28-3)</c>, one position short of the 26 a 3x3 kernel allows, so its grid is 25x25. Not part of
/// the grammar, so a user's spec cannot name it.
/// </summary>
public sealed record CropSpec(int Side) : LayerSpec
{
    public override string Keyword => "crop";

    public override string Text => $"crop({Side}x{Side})";

    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireImage(input);
        if (Side > input.Height || Side > input.Width)
            throw new LayerProblem($"cannot crop {input.Height}x{input.Width} to {Side}x{Side}");
        return ActivationShape.Image(input.Channels, Side, Side);
    }
}
