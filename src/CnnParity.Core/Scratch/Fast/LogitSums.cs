using System.Runtime.Intrinsics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// One image's logits <c>Σ_h layer_1[h] · W[h, j]</c> as they run, vectorised across the 10 classes: each lane is one
/// class's sum in hidden order (a rounded multiply, then a rounded add), over the units of listed positions only (the
/// others are ±0): <c>values[q*K + k]</c> is unit <c>positions[q]*K + k</c>. One image's sums are a few dependency
/// chains, one add each per unit; <see cref="AddPair"/> advances two images at once, so that the adds of one fill the
/// other's latency.
/// </summary>
internal unsafe interface ILogitSums<TSelf> where TSelf : struct, ILogitSums<TSelf>
{
    /// <summary>Adds the terms of <paramref name="count"/> listed positions, in order.</summary>
    void Add(double* values, int* positions, int count, int kernelCount, double* weights);

    /// <summary>Adds <paramref name="count"/> positions to each of two images' sums, interleaved.</summary>
    static abstract void AddPair(ref TSelf x, double* xValues, int* xPositions, ref TSelf y, double* yValues, int* yPositions,
                                 int count, int kernelCount, double* weights);

    void Store(double* logits);
}

/// <summary>The 10 classes as 4 + 4 + 2 lanes (AVX2).</summary>
internal unsafe struct LogitSums4 : ILogitSums<LogitSums4>
{
    private const int L = ArchitectureSpec.Classes;

    private Vector256<double> _a0, _a1;
    private Vector128<double> _a2;

    public void Add(double* values, int* positions, int count, int kernelCount, double* weights)
    {
        Vector256<double> a0 = _a0, a1 = _a1;
        Vector128<double> a2 = _a2;
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
        (_a0, _a1, _a2) = (a0, a1, a2);
    }

    public static void AddPair(ref LogitSums4 x, double* xValues, int* xPositions, ref LogitSums4 y, double* yValues, int* yPositions,
                               int count, int kernelCount, double* weights)
    {
        Vector256<double> x0 = x._a0, x1 = x._a1, y0 = y._a0, y1 = y._a1;
        Vector128<double> x2 = x._a2, y2 = y._a2;
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
        (x._a0, x._a1, x._a2) = (x0, x1, x2);
        (y._a0, y._a1, y._a2) = (y0, y1, y2);
    }

    public readonly void Store(double* logits)
    {
        Vector256.Store(_a0, logits);
        Vector256.Store(_a1, logits + 4);
        Vector128.Store(_a2, logits + 8);
    }
}

/// <summary>The 10 classes as 8 + 2 lanes (AVX-512): two vector sums per unit instead of three.</summary>
internal unsafe struct LogitSums8 : ILogitSums<LogitSums8>
{
    private const int L = ArchitectureSpec.Classes;

    private Vector512<double> _a0;
    private Vector128<double> _a1;

    public void Add(double* values, int* positions, int count, int kernelCount, double* weights)
    {
        Vector512<double> a0 = _a0;
        Vector128<double> a1 = _a1;
        int kc = kernelCount;
        for (int q = 0; q < count; q++)
        {
            double* w = weights + positions[q] * kc * L;
            double* t = values + q * kc;
            for (int k = 0; k < kc; k++, w += L)
            {
                double v = t[k];
                a0 += Vector512.Create(v) * Vector512.Load(w);
                a1 += Vector128.Create(v) * Vector128.Load(w + 8);
            }
        }
        (_a0, _a1) = (a0, a1);
    }

    public static void AddPair(ref LogitSums8 x, double* xValues, int* xPositions, ref LogitSums8 y, double* yValues, int* yPositions,
                               int count, int kernelCount, double* weights)
    {
        Vector512<double> x0 = x._a0, y0 = y._a0;
        Vector128<double> x1 = x._a1, y1 = y._a1;
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
                x0 += Vector512.Create(u) * Vector512.Load(wx);
                y0 += Vector512.Create(v) * Vector512.Load(wy);
                x1 += Vector128.Create(u) * Vector128.Load(wx + 8);
                y1 += Vector128.Create(v) * Vector128.Load(wy + 8);
            }
        }
        (x._a0, x._a1) = (x0, x1);
        (y._a0, y._a1) = (y0, y1);
    }

    public readonly void Store(double* logits)
    {
        Vector512.Store(_a0, logits);
        Vector128.Store(_a1, logits + 8);
    }
}
