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

    // The top-left pixel of a position's section.
    private static double* Pixels(double* image, int grid, int position)
    {
        int r = position / grid;
        return image + r * Side + (position - r * grid);
    }

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
