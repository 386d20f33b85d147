using System.Runtime.Intrinsics;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// <c>kernel_output = flattened_input.dot(kernels)</c> for chosen positions of one image, read straight from the
/// image (no im2col copy). Each output <c>[position, k]</c> is NumPy's sum <c>0.0 + x0*k0 + x1*k1 + ... + x8*k8</c>
/// (pixels in section order, a rounded multiply then a rounded add, no FMA); four kernels are computed side by side
/// in one vector, so each lane is one such sum and nothing inside a sum is reordered.
/// </summary>
internal static unsafe class Conv3x3
{
    private const int Side = ScratchConfig.ImageSide;

    /// <summary>
    /// <paramref name="output"/><c>[q*K + k]</c> = kernel_output of position <paramref name="positions"/><c>[q]</c>,
    /// kernel k, for q &lt; <paramref name="count"/>. <paramref name="kernels"/> is 9 × K row-major.
    /// </summary>
    public static void Positions(double* image, int grid, int* positions, int count, double* kernels, int kernelCount, double* output)
    {
        int k4 = kernelCount & ~3;
        int q = 0;
        if (k4 > 0)
        {
            // Two positions at a time: twice the independent sums in flight, and each kernel vector loaded once for both.
            for (; q + 1 < count; q += 2)
            {
                Pair(Pixels(image, grid, positions[q]), Pixels(image, grid, positions[q + 1]), kernels, kernelCount, k4,
                     output + q * kernelCount, output + (q + 1) * kernelCount);
            }
        }
        for (; q < count; q++)
        {
            One(Pixels(image, grid, positions[q]), kernels, kernelCount, k4, output + q * kernelCount);
        }
        if (k4 < kernelCount)
        {
            for (q = 0; q < count; q++)
            {
                double* px = Pixels(image, grid, positions[q]);
                for (int k = k4; k < kernelCount; k++)
                {
                    output[q * kernelCount + k] = Scalar(px, kernels + k, kernelCount);
                }
            }
        }
    }

    // The top-left pixel of a position's section.
    private static double* Pixels(double* image, int grid, int position)
    {
        int r = position / grid;
        return image + r * Side + (position - r * grid);
    }

    private static void Pair(double* pa, double* pb, double* kernels, int kc, int k4, double* oa, double* ob)
    {
        for (int k = 0; k < k4; k += 4)
        {
            double* w = kernels + k;
            Vector256<double> w0 = Vector256.Load(w);
            Vector256<double> a = Vector256<double>.Zero + Vector256.Create(pa[0]) * w0;
            Vector256<double> b = Vector256<double>.Zero + Vector256.Create(pb[0]) * w0;
            Vector256<double> w1 = Vector256.Load(w + kc);
            a += Vector256.Create(pa[1]) * w1;
            b += Vector256.Create(pb[1]) * w1;
            Vector256<double> w2 = Vector256.Load(w + 2 * kc);
            a += Vector256.Create(pa[2]) * w2;
            b += Vector256.Create(pb[2]) * w2;
            Vector256<double> w3 = Vector256.Load(w + 3 * kc);
            a += Vector256.Create(pa[Side]) * w3;
            b += Vector256.Create(pb[Side]) * w3;
            Vector256<double> w4 = Vector256.Load(w + 4 * kc);
            a += Vector256.Create(pa[Side + 1]) * w4;
            b += Vector256.Create(pb[Side + 1]) * w4;
            Vector256<double> w5 = Vector256.Load(w + 5 * kc);
            a += Vector256.Create(pa[Side + 2]) * w5;
            b += Vector256.Create(pb[Side + 2]) * w5;
            Vector256<double> w6 = Vector256.Load(w + 6 * kc);
            a += Vector256.Create(pa[2 * Side]) * w6;
            b += Vector256.Create(pb[2 * Side]) * w6;
            Vector256<double> w7 = Vector256.Load(w + 7 * kc);
            a += Vector256.Create(pa[2 * Side + 1]) * w7;
            b += Vector256.Create(pb[2 * Side + 1]) * w7;
            Vector256<double> w8 = Vector256.Load(w + 8 * kc);
            a += Vector256.Create(pa[2 * Side + 2]) * w8;
            b += Vector256.Create(pb[2 * Side + 2]) * w8;
            Vector256.Store(a, oa + k);
            Vector256.Store(b, ob + k);
        }
    }

    private static void One(double* px, double* kernels, int kc, int k4, double* o)
    {
        for (int k = 0; k < k4; k += 4)
        {
            double* w = kernels + k;
            Vector256<double> s = Vector256<double>.Zero + Vector256.Create(px[0]) * Vector256.Load(w);
            s += Vector256.Create(px[1]) * Vector256.Load(w + kc);
            s += Vector256.Create(px[2]) * Vector256.Load(w + 2 * kc);
            s += Vector256.Create(px[Side]) * Vector256.Load(w + 3 * kc);
            s += Vector256.Create(px[Side + 1]) * Vector256.Load(w + 4 * kc);
            s += Vector256.Create(px[Side + 2]) * Vector256.Load(w + 5 * kc);
            s += Vector256.Create(px[2 * Side]) * Vector256.Load(w + 6 * kc);
            s += Vector256.Create(px[2 * Side + 1]) * Vector256.Load(w + 7 * kc);
            s += Vector256.Create(px[2 * Side + 2]) * Vector256.Load(w + 8 * kc);
            Vector256.Store(s, o + k);
        }
    }

    // One kernel's sum, for the kernels after the last multiple of 4.
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
