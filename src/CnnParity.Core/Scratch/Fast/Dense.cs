using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// The dense layer's products, vectorised across independent outputs only. Every output keeps NumPy's
/// sequential sum <c>s = 0.0; s += a*b; ...</c> (a rounded multiply, then a rounded add: no FMA) over the same
/// terms in the same order as <see cref="NumPy.NumPyDot"/>; only terms that are ±0 times a finite number may be
/// left out, because adding ±0 to a sum that started at +0.0 never changes its bits (see <see cref="Sections"/>).
/// </summary>
internal static unsafe class Dense
{
    private const int L = ArchitectureSpec.Classes;

    /// <summary>
    /// One image's logits <c>Σ_h layer_1[h] · W[h, j]</c> as they run: vectorised across the 10 classes (4 + 4 + 2
    /// lanes), each lane one class's sum in hidden order, over the units of listed positions only (the others are
    /// ±0): values[q*K + k] is unit positions[q]*K + k. One image's sums are only three dependency chains, one add each
    /// per unit; <see cref="AddPair"/> advances two images at once, so that the adds of one fill the other's latency.
    /// </summary>
    public struct Accumulator
    {
        public Vector256<double> A0, A1;
        public Vector128<double> A2;

        /// <summary>Adds the terms of <paramref name="count"/> listed positions, in order.</summary>
        public void Add(double* values, int* positions, int count, int kernelCount, double* weights)
        {
            Vector256<double> a0 = A0, a1 = A1;
            Vector128<double> a2 = A2;
            int kc = kernelCount;
            for (int q = 0; q < count; q++)
            {
                double* w = weights + positions[q] * kc * L;
                double* t = values + q * kc;
                for (int k = 0; k < kc; k++, w += L)
                {
                    double v = t[k];
                    a0 += Vector256.Create(v) * Vector256.Load(w);
                    a1 += Vector256.Create(v) * Vector256.Load(w + 4);
                    a2 += Vector128.Create(v) * Vector128.Load(w + 8);
                }
            }
            (A0, A1, A2) = (a0, a1, a2);
        }

        /// <summary>Adds <paramref name="count"/> positions to each of two images' sums, interleaved.</summary>
        public static void AddPair(ref Accumulator x, double* xValues, int* xPositions, ref Accumulator y, double* yValues, int* yPositions,
                                   int count, int kernelCount, double* weights)
        {
            Vector256<double> x0 = x.A0, x1 = x.A1, y0 = y.A0, y1 = y.A1;
            Vector128<double> x2 = x.A2, y2 = y.A2;
            int kc = kernelCount;
            for (int q = 0; q < count; q++)
            {
                double* wx = weights + xPositions[q] * kc * L;
                double* wy = weights + yPositions[q] * kc * L;
                double* tx = xValues + q * kc;
                double* ty = yValues + q * kc;
                for (int k = 0; k < kc; k++, wx += L, wy += L)
                {
                    double u = tx[k], v = ty[k];
                    x0 += Vector256.Create(u) * Vector256.Load(wx);
                    y0 += Vector256.Create(v) * Vector256.Load(wy);
                    x1 += Vector256.Create(u) * Vector256.Load(wx + 4);
                    y1 += Vector256.Create(v) * Vector256.Load(wy + 4);
                    x2 += Vector128.Create(u) * Vector128.Load(wx + 8);
                    y2 += Vector128.Create(v) * Vector128.Load(wy + 8);
                }
            }
            (x.A0, x.A1, x.A2) = (x0, x1, x2);
            (y.A0, y.A1, y.A2) = (y0, y1, y2);
        }

        public readonly void Store(double* logits)
        {
            Vector256.Store(A0, logits);
            Vector256.Store(A1, logits + 4);
            Vector128.Store(A2, logits + 8);
        }
    }

    /// <summary>
    /// <c>k_update[l, k] = Σ_rows flattened_input[row, l] · layer_1_delta[row, k]</c> for the four kernels starting at
    /// <paramref name="k"/> (rows in order: image, then position), reading the pixels from the images. Only the rows
    /// listed per image are summed: the caller lists every row, or leaves out all-zero sections when every delta is
    /// finite.
    /// </summary>
    public static void KernelsUpdate(double* images, int grid, int batch, int* positions, int positionStride, int* counts,
                                     double* layer1Delta, int hidden, int kernelCount, int k, double* kernelsUpdate)
    {
        const int side = ScratchConfig.ImageSide;
        Vector256<double> a0 = Vector256<double>.Zero, a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0, a8 = a0;
        for (int n = 0; n < batch; n++)
        {
            double* image = images + n * ScratchConfig.Pixels;
            int* list = positions + n * positionStride;
            double* deltas = layer1Delta + n * hidden + k;
            for (int q = 0, count = counts[n]; q < count; q++)
            {
                int p = list[q];
                int r = p / grid;
                double* px = image + r * side + (p - r * grid);
                Vector256<double> v = Vector256.Load(deltas + p * kernelCount);
                a0 += Vector256.Create(px[0]) * v;
                a1 += Vector256.Create(px[1]) * v;
                a2 += Vector256.Create(px[2]) * v;
                a3 += Vector256.Create(px[side]) * v;
                a4 += Vector256.Create(px[side + 1]) * v;
                a5 += Vector256.Create(px[side + 2]) * v;
                a6 += Vector256.Create(px[2 * side]) * v;
                a7 += Vector256.Create(px[2 * side + 1]) * v;
                a8 += Vector256.Create(px[2 * side + 2]) * v;
            }
        }
        int kc = kernelCount;
        Vector256.Store(a0, kernelsUpdate + k);
        Vector256.Store(a1, kernelsUpdate + kc + k);
        Vector256.Store(a2, kernelsUpdate + 2 * kc + k);
        Vector256.Store(a3, kernelsUpdate + 3 * kc + k);
        Vector256.Store(a4, kernelsUpdate + 4 * kc + k);
        Vector256.Store(a5, kernelsUpdate + 5 * kc + k);
        Vector256.Store(a6, kernelsUpdate + 6 * kc + k);
        Vector256.Store(a7, kernelsUpdate + 7 * kc + k);
        Vector256.Store(a8, kernelsUpdate + 8 * kc + k);
    }

    /// <summary>The same sum for one kernel <paramref name="k"/> (the kernels after the last multiple of 4).</summary>
    public static void KernelsUpdateOne(double* images, int grid, int batch, int* positions, int positionStride, int* counts,
                                        double* layer1Delta, int hidden, int kernelCount, int k, double* kernelsUpdate)
    {
        const int side = ScratchConfig.ImageSide;
        for (int l = 0; l < ScratchConfig.KernelArea; l++)
        {
            int offset = (l / 3) * side + l % 3;
            double s = 0.0;
            for (int n = 0; n < batch; n++)
            {
                double* image = images + n * ScratchConfig.Pixels;
                int* list = positions + n * positionStride;
                double* deltas = layer1Delta + n * hidden + k;
                for (int q = 0, count = counts[n]; q < count; q++)
                {
                    int p = list[q];
                    int r = p / grid;
                    s += image[r * side + (p - r * grid) + offset] * deltas[p * kernelCount];
                }
            }
            kernelsUpdate[l * kernelCount + k] = s;
        }
    }

    /// <summary>Four 0/1 mask bytes as float64, as <c>float_array *= int_array</c> converts them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> MaskValues(byte* mask)
    {
        if (Avx.IsSupported)
        {
            return Avx.ConvertToVector256Double(Sse41.ConvertToVector128Int32(mask));
        }
        return Vector256.Create((double)mask[0], mask[1], mask[2], mask[3]);
    }
}
