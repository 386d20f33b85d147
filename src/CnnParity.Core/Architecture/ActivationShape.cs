namespace CnnParity.Core.Architecture;

/// <summary>
/// The shape of one image's activations between two layers: an image (channels x height x width, NCHW without the
/// batch) or, after <c>flatten</c>, a vector of <see cref="Channels"/> features (height and width 1).
/// </summary>
public readonly record struct ActivationShape(int Channels, int Height, int Width, bool IsVector)
{
    /// <summary>An image of <paramref name="channels"/> planes of <paramref name="height"/> x <paramref name="width"/>.</summary>
    public static ActivationShape Image(int channels, int height, int width) => new(channels, height, width, false);

    /// <summary>A vector of <paramref name="features"/> values.</summary>
    public static ActivationShape Vector(int features) => new(features, 1, 1, true);

    /// <summary>Values per image.</summary>
    public int Size => Channels * Height * Width;

    /// <summary>"6x28x28" for an image, "120" for a vector: how the layer table and the errors write it.</summary>
    public override string ToString() => IsVector ? $"{Channels}" : $"{Channels}x{Height}x{Width}";

    /// <summary>PyTorch's shape of a batch of these: (N, C, H, W) or (N, F).</summary>
    public long[] BatchShape(int batch) => IsVector ? [batch, Channels] : [batch, Channels, Height, Width];
}
