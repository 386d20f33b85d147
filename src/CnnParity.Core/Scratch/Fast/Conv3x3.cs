using CnnParity.Core.NumPy.Simd;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// <c>kernel_output = flattened_input.dot(kernels)</c> for chosen positions of one image, read straight from the
/// image (no im2col copy). Each output <c>[position, k]</c> is NumPy's sum <c>0.0 + x0*k0 + x1*k1 + ... + x8*k8</c>
/// (pixels in section order, a rounded multiply then a rounded add, no FMA); a vector holds consecutive kernels side
/// by side (eight with AVX-512, else four), so each lane is one such sum and nothing inside a sum is reordered.
/// </summary>
internal static unsafe class Conv3x3
{
    private const int Side = ScratchConfig.ImageSide;

    /// <summary>
    /// <paramref name="output"/><c>[q*K + k]</c> = kernel_output of position <paramref name="positions"/><c>[q]</c>,
    /// kernel k, for q &lt; <paramref name="count"/>. <paramref name="kernels"/> is 9 × K row-major.
    /// </summary>
    public static void Positions(VectorWidth width, double* image, int grid, int* positions, int count, double* kernels, int kernelCount,
                                 double* output)
    {
        // The book's 16 kernels with AVX-512 (and 8, or 4 at 256 bits) fit in registers: loaded once per image, not per position.
        if (width == VectorWidth.Bits512 && kernelCount == 2 * Lanes8.Count)
        {
            TwoGroupsHeld<Lanes8>(image, grid, positions, count, kernels, output);
            return;
        }
        if (width == VectorWidth.Bits512 && kernelCount == Lanes8.Count)
        {
            OneGroupHeld<Lanes8>(image, grid, positions, count, kernels, output);
            return;
        }
        if (kernelCount == Lanes4.Count)
        {
            OneGroupHeld<Lanes4>(image, grid, positions, count, kernels, output);
            return;
        }
        // Groups of eight kernels (AVX-512), then of four, then one at a time: every kernel in exactly one group.
        int k = width == VectorWidth.Bits512 ? Groups<Lanes8>(image, grid, positions, count, kernels, kernelCount, 0, output) : 0;
        k = Groups<Lanes4>(image, grid, positions, count, kernels, kernelCount, k, output);
        for (; k < kernelCount; k++)
        {
            for (int q = 0; q < count; q++)
            {
                output[q * kernelCount + k] = Scalar(Pixels(image, grid, positions[q]), kernels + k, kernelCount);
            }
        }
    }

    // Kernels [first, end) in groups of TLanes.Count for every position; returns end, the first kernel not computed.
    private static int Groups<TLanes>(double* image, int grid, int* positions, int count, double* kernels, int kc, int first, double* output)
        where TLanes : struct, ILanes<TLanes>
    {
        int end = first + (kc - first) / TLanes.Count * TLanes.Count;
        if (end == first)
        {
            return first;
        }
        int q = 0;
        // Two positions at a time: twice the independent sums in flight, and each kernel vector loaded once for both.
        for (; q + 1 < count; q += 2)
        {
            Pair<TLanes>(Pixels(image, grid, positions[q]), Pixels(image, grid, positions[q + 1]), kernels, kc, first, end,
                         output + q * kc, output + (q + 1) * kc);
        }
        for (; q < count; q++)
        {
            One<TLanes>(Pixels(image, grid, positions[q]), kernels, kc, first, end, output + q * kc);
        }
        return end;
    }

    // K = TLanes.Count: the nine kernel rows held in registers, two positions at a time. The same sums as One.
    private static void OneGroupHeld<TLanes>(double* image, int grid, int* positions, int count, double* kernels, double* output)
        where TLanes : struct, ILanes<TLanes>
    {
        int kc = TLanes.Count;
        TLanes w0 = TLanes.Load(kernels), w1 = TLanes.Load(kernels + kc), w2 = TLanes.Load(kernels + 2 * kc);
        TLanes w3 = TLanes.Load(kernels + 3 * kc), w4 = TLanes.Load(kernels + 4 * kc), w5 = TLanes.Load(kernels + 5 * kc);
        TLanes w6 = TLanes.Load(kernels + 6 * kc), w7 = TLanes.Load(kernels + 7 * kc), w8 = TLanes.Load(kernels + 8 * kc);
        int q = 0;
        for (; q + 1 < count; q += 2)
        {
            double* pa = Pixels(image, grid, positions[q]), pb = Pixels(image, grid, positions[q + 1]);
            TLanes a = TLanes.Zero + TLanes.Broadcast(pa[0]) * w0;
            TLanes b = TLanes.Zero + TLanes.Broadcast(pb[0]) * w0;
            a += TLanes.Broadcast(pa[1]) * w1;
            b += TLanes.Broadcast(pb[1]) * w1;
            a += TLanes.Broadcast(pa[2]) * w2;
            b += TLanes.Broadcast(pb[2]) * w2;
            a += TLanes.Broadcast(pa[Side]) * w3;
            b += TLanes.Broadcast(pb[Side]) * w3;
            a += TLanes.Broadcast(pa[Side + 1]) * w4;
            b += TLanes.Broadcast(pb[Side + 1]) * w4;
            a += TLanes.Broadcast(pa[Side + 2]) * w5;
            b += TLanes.Broadcast(pb[Side + 2]) * w5;
            a += TLanes.Broadcast(pa[2 * Side]) * w6;
            b += TLanes.Broadcast(pb[2 * Side]) * w6;
            a += TLanes.Broadcast(pa[2 * Side + 1]) * w7;
            b += TLanes.Broadcast(pb[2 * Side + 1]) * w7;
            a += TLanes.Broadcast(pa[2 * Side + 2]) * w8;
            b += TLanes.Broadcast(pb[2 * Side + 2]) * w8;
            a.Store(output + q * kc);
            b.Store(output + (q + 1) * kc);
        }
        for (; q < count; q++)
        {
            One<TLanes>(Pixels(image, grid, positions[q]), kernels, kc, 0, kc, output + q * kc);
        }
    }

    // K = 2 · TLanes.Count (the book's 16 with AVX-512): both groups' nine kernel rows held in registers (18 vectors), each
    // pixel broadcast once for both. Per lane the same sums, in the same order, as One.
    private static void TwoGroupsHeld<TLanes>(double* image, int grid, int* positions, int count, double* kernels, double* output)
        where TLanes : struct, ILanes<TLanes>
    {
        int kc = 2 * TLanes.Count, n = TLanes.Count;
        TLanes w0 = TLanes.Load(kernels), w1 = TLanes.Load(kernels + kc), w2 = TLanes.Load(kernels + 2 * kc);
        TLanes w3 = TLanes.Load(kernels + 3 * kc), w4 = TLanes.Load(kernels + 4 * kc), w5 = TLanes.Load(kernels + 5 * kc);
        TLanes w6 = TLanes.Load(kernels + 6 * kc), w7 = TLanes.Load(kernels + 7 * kc), w8 = TLanes.Load(kernels + 8 * kc);
        TLanes v0 = TLanes.Load(kernels + n), v1 = TLanes.Load(kernels + kc + n), v2 = TLanes.Load(kernels + 2 * kc + n);
        TLanes v3 = TLanes.Load(kernels + 3 * kc + n), v4 = TLanes.Load(kernels + 4 * kc + n), v5 = TLanes.Load(kernels + 5 * kc + n);
        TLanes v6 = TLanes.Load(kernels + 6 * kc + n), v7 = TLanes.Load(kernels + 7 * kc + n), v8 = TLanes.Load(kernels + 8 * kc + n);
        int q = 0;
        // Two positions at a time: four sums in flight.
        for (; q + 1 < count; q += 2)
        {
            double* px = Pixels(image, grid, positions[q]), py = Pixels(image, grid, positions[q + 1]);
            TLanes x = TLanes.Broadcast(px[0]), y = TLanes.Broadcast(py[0]);
            TLanes a = TLanes.Zero + x * w0, b = TLanes.Zero + x * v0, c = TLanes.Zero + y * w0, d = TLanes.Zero + y * v0;
            x = TLanes.Broadcast(px[1]); y = TLanes.Broadcast(py[1]);
            a += x * w1; b += x * v1; c += y * w1; d += y * v1;
            x = TLanes.Broadcast(px[2]); y = TLanes.Broadcast(py[2]);
            a += x * w2; b += x * v2; c += y * w2; d += y * v2;
            x = TLanes.Broadcast(px[Side]); y = TLanes.Broadcast(py[Side]);
            a += x * w3; b += x * v3; c += y * w3; d += y * v3;
            x = TLanes.Broadcast(px[Side + 1]); y = TLanes.Broadcast(py[Side + 1]);
            a += x * w4; b += x * v4; c += y * w4; d += y * v4;
            x = TLanes.Broadcast(px[Side + 2]); y = TLanes.Broadcast(py[Side + 2]);
            a += x * w5; b += x * v5; c += y * w5; d += y * v5;
            x = TLanes.Broadcast(px[2 * Side]); y = TLanes.Broadcast(py[2 * Side]);
            a += x * w6; b += x * v6; c += y * w6; d += y * v6;
            x = TLanes.Broadcast(px[2 * Side + 1]); y = TLanes.Broadcast(py[2 * Side + 1]);
            a += x * w7; b += x * v7; c += y * w7; d += y * v7;
            x = TLanes.Broadcast(px[2 * Side + 2]); y = TLanes.Broadcast(py[2 * Side + 2]);
            a += x * w8; b += x * v8; c += y * w8; d += y * v8;
            a.Store(output + q * kc);
            b.Store(output + q * kc + n);
            c.Store(output + (q + 1) * kc);
            d.Store(output + (q + 1) * kc + n);
        }
        for (; q < count; q++)
        {
            One<TLanes>(Pixels(image, grid, positions[q]), kernels, kc, 0, kc, output + q * kc);
        }
    }

    // The top-left pixel of a position's section.
    private static double* Pixels(double* image, int grid, int position) => image + Sections.PixelOffsets(grid)[position];

    private static void Pair<TLanes>(double* pa, double* pb, double* kernels, int kc, int first, int end, double* oa, double* ob)
        where TLanes : struct, ILanes<TLanes>
    {
        for (int k = first; k < end; k += TLanes.Count)
        {
            double* w = kernels + k;
            TLanes w0 = TLanes.Load(w);
            TLanes a = TLanes.Zero + TLanes.Broadcast(pa[0]) * w0;
            TLanes b = TLanes.Zero + TLanes.Broadcast(pb[0]) * w0;
            TLanes w1 = TLanes.Load(w + kc);
            a += TLanes.Broadcast(pa[1]) * w1;
            b += TLanes.Broadcast(pb[1]) * w1;
            TLanes w2 = TLanes.Load(w + 2 * kc);
            a += TLanes.Broadcast(pa[2]) * w2;
            b += TLanes.Broadcast(pb[2]) * w2;
            TLanes w3 = TLanes.Load(w + 3 * kc);
            a += TLanes.Broadcast(pa[Side]) * w3;
            b += TLanes.Broadcast(pb[Side]) * w3;
            TLanes w4 = TLanes.Load(w + 4 * kc);
            a += TLanes.Broadcast(pa[Side + 1]) * w4;
            b += TLanes.Broadcast(pb[Side + 1]) * w4;
            TLanes w5 = TLanes.Load(w + 5 * kc);
            a += TLanes.Broadcast(pa[Side + 2]) * w5;
            b += TLanes.Broadcast(pb[Side + 2]) * w5;
            TLanes w6 = TLanes.Load(w + 6 * kc);
            a += TLanes.Broadcast(pa[2 * Side]) * w6;
            b += TLanes.Broadcast(pb[2 * Side]) * w6;
            TLanes w7 = TLanes.Load(w + 7 * kc);
            a += TLanes.Broadcast(pa[2 * Side + 1]) * w7;
            b += TLanes.Broadcast(pb[2 * Side + 1]) * w7;
            TLanes w8 = TLanes.Load(w + 8 * kc);
            a += TLanes.Broadcast(pa[2 * Side + 2]) * w8;
            b += TLanes.Broadcast(pb[2 * Side + 2]) * w8;
            a.Store(oa + k);
            b.Store(ob + k);
        }
    }

    private static void One<TLanes>(double* px, double* kernels, int kc, int first, int end, double* o)
        where TLanes : struct, ILanes<TLanes>
    {
        for (int k = first; k < end; k += TLanes.Count)
        {
            double* w = kernels + k;
            TLanes s = TLanes.Zero + TLanes.Broadcast(px[0]) * TLanes.Load(w);
            s += TLanes.Broadcast(px[1]) * TLanes.Load(w + kc);
            s += TLanes.Broadcast(px[2]) * TLanes.Load(w + 2 * kc);
            s += TLanes.Broadcast(px[Side]) * TLanes.Load(w + 3 * kc);
            s += TLanes.Broadcast(px[Side + 1]) * TLanes.Load(w + 4 * kc);
            s += TLanes.Broadcast(px[Side + 2]) * TLanes.Load(w + 5 * kc);
            s += TLanes.Broadcast(px[2 * Side]) * TLanes.Load(w + 6 * kc);
            s += TLanes.Broadcast(px[2 * Side + 1]) * TLanes.Load(w + 7 * kc);
            s += TLanes.Broadcast(px[2 * Side + 2]) * TLanes.Load(w + 8 * kc);
            s.Store(o + k);
        }
    }

    // One kernel's sum, for the kernels after the last full group.
    private static double Scalar(double* px, double* w, int kc)
    {
        double s = 0.0;
        s += px[0] * w[0];
        s += px[1] * w[kc];
        s += px[2] * w[2 * kc];
        s += px[Side] * w[3 * kc];
        s += px[Side + 1] * w[4 * kc];
        s += px[Side + 2] * w[5 * kc];
        s += px[2 * Side] * w[6 * kc];
        s += px[2 * Side + 1] * w[7 * kc];
        s += px[2 * Side + 2] * w[8 * kc];
        return s;
    }
}
