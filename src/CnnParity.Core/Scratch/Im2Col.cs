namespace CnnParity.Core.Scratch;

/// <summary>
/// The notebook's <c>get_image_section</c> loop: for each image, for <c>row_start</c> in range(grid), for
/// <c>col_start</c> in range(grid), the 3x3 section flattened row-major. Row <c>b*grid² + r*grid + c</c> of the
/// result is position (r, c) of image b; column <c>dr*3 + dc</c> is pixel (r+dr, c+dc): the layout of
/// <c>np.concatenate(sects, axis=1).reshape(B*P, 9)</c>.
/// </summary>
public static class Im2Col
{
    /// <summary>Fills <paramref name="flattened"/> (count·grid² × 9) from <paramref name="images"/> (count × 784).</summary>
    public static void Expand(ReadOnlySpan<double> images, int count, int grid, Span<double> flattened)
    {
        const int side = ScratchConfig.ImageSide;
        const int k = ScratchConfig.KernelSide;
        int positions = grid * grid;
        if (flattened.Length < count * positions * ScratchConfig.KernelArea || images.Length < count * ScratchConfig.Pixels)
        {
            throw new ArgumentException("buffer too small for im2col");
        }
        for (int b = 0; b < count; b++)
        {
            ReadOnlySpan<double> image = images.Slice(b * ScratchConfig.Pixels, ScratchConfig.Pixels);
            for (int r = 0; r < grid; r++)
            {
                for (int c = 0; c < grid; c++)
                {
                    Span<double> row = flattened.Slice(((b * positions) + (r * grid) + c) * ScratchConfig.KernelArea, ScratchConfig.KernelArea);
                    for (int dr = 0; dr < k; dr++)
                    {
                        image.Slice(((r + dr) * side) + c, k).CopyTo(row.Slice(dr * k, k));
                    }
                }
            }
        }
    }

    /// <summary>Allocating form of <see cref="Expand(ReadOnlySpan{double}, int, int, Span{double})"/>.</summary>
    public static double[] Expand(ReadOnlySpan<double> images, int count, int grid)
    {
        var flattened = new double[count * grid * grid * ScratchConfig.KernelArea];
        Expand(images, count, grid, flattened);
        return flattened;
    }
}
