using System.Numerics;
using System.Runtime.Intrinsics;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// Which 3x3 sections of an image hold a pixel other than ±0. An all-zero section adds nothing anywhere: its
/// <c>kernel_output</c> is 0.0 + (±0) + ... = +0 for finite kernels, tanh(+0) = +0, and +0 times a finite weight
/// added to a running sum leaves the sum's bits unchanged (a sum that starts at +0.0 is never -0). So the fast path
/// may skip such positions without changing a bit, as long as the weights are finite (checked once per pass).
/// </summary>
internal static unsafe class Sections
{
    private const int Side = ScratchConfig.ImageSide;

    /// <summary>
    /// Writes the positions <c>r*grid + c</c> (increasing, as the sums need them) whose section has a nonzero pixel
    /// into <paramref name="positions"/>, and returns how many there are.
    /// </summary>
    public static int Active(double* image, int grid, int* positions)
    {
        uint* rows = stackalloc uint[Side];
        for (int y = 0; y < Side; y++)
        {
            rows[y] = NonZeroPixels(image + y * Side);
        }
        uint gridMask = grid >= 32 ? uint.MaxValue : (1u << grid) - 1;
        int count = 0;
        for (int r = 0; r < grid; r++)
        {
            uint any = rows[r] | rows[r + 1] | rows[r + 2];
            uint active = (any | (any >> 1) | (any >> 2)) & gridMask;
            while (active != 0)
            {
                positions[count++] = r * grid + BitOperations.TrailingZeroCount(active);
                active &= active - 1;
            }
        }
        return count;
    }

    /// <summary>Span form of <see cref="Active(double*, int, int*)"/>: one 28x28 image, room for grid² positions.</summary>
    public static int Active(ReadOnlySpan<double> image, int grid, Span<int> positions)
    {
        if (image.Length < ScratchConfig.Pixels || positions.Length < grid * grid)
        {
            throw new ArgumentException("buffers too small");
        }
        fixed (double* pixels = image)
        fixed (int* list = positions)
        {
            return Active(pixels, grid, list);
        }
    }

    /// <summary>
    /// For a grid, each position's top-left pixel: <c>r*28 + c</c> for position <c>r*grid + c</c>. A lookup instead of a
    /// division per position in the sums' inner loops. Pinned tables, one per grid, made once.
    /// </summary>
    public static int* PixelOffsets(int grid) => FastBatch.Address(OffsetTables[grid]);

    private static readonly int[][] OffsetTables = Enumerable.Range(0, ScratchConfig.ImageSide - ScratchConfig.KernelSide + 2).Select(grid =>
    {
        int[] table = FastBatch.Pinned<int>(Math.Max(1, grid * grid));
        for (int p = 0; p < grid * grid; p++)
        {
            table[p] = p / grid * Side + p % grid;
        }
        return table;
    }).ToArray();

    /// <summary>Every position 0..positions-1: the list used when nothing may be skipped.</summary>
    public static void All(int count, int* positions)
    {
        for (int p = 0; p < count; p++)
        {
            positions[p] = p;
        }
    }

    // Bit x is set when pixel x of the 28-pixel row is not ±0 (a NaN counts as nonzero).
    private static uint NonZeroPixels(double* row)
    {
        uint bits = 0;
        for (int x = 0; x < Side; x += Vector256<double>.Count)
        {
            bits |= (~Vector256.Equals(Vector256.Load(row + x), Vector256<double>.Zero)).ExtractMostSignificantBits() << x;
        }
        return bits;
    }
}
