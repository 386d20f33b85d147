namespace CnnParity.Core.NumPy;

/// <summary>
/// <c>np.dot</c> of row-major float64 matrices as NumPy computes it when linked to the reference BLAS
/// (Debian's <c>libblas3</c>): every output is the plain sequential sum
/// <c>s = 0.0; for l = 0..n-1: s += a[i,l] * b[l,j]</c> in increasing l, a rounded multiply then a
/// rounded add (the reference <c>dgemm</c> is compiled without FMA contraction; neither does RyuJIT
/// contract <c>s += a * b</c>). The order is the same for every transpose variant NumPy passes to
/// <c>dgemm</c>, so the three methods differ only in where they read. A NumPy on OpenBLAS or MKL
/// sums in blocks and will not match these bits.
/// <para>
/// Each method computes the output rows [<paramref name="rowStart"/>, <paramref name="rowEnd"/>) only, so a
/// caller may split the rows across threads: every output is still one sequential sum, whatever the split.
/// </para>
/// </summary>
public static class NumPyDot
{
    /// <summary>C[m×p] = A[m×n] · B[n×p] (rows rowStart..rowEnd-1 of C).</summary>
    public static unsafe void MatMul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
                                     int n, int p, int rowStart, int rowEnd)
    {
        Check(a, (long)rowEnd * n, b, (long)n * p, c, (long)rowEnd * p);
        fixed (double* pa = a, pb = b, pc = c)
        {
            for (int i = rowStart; i < rowEnd; i++)
            {
                double* ci = pc + (long)i * p;
                double* ai = pa + (long)i * n;
                for (int j = 0; j < p; j++)
                {
                    ci[j] = 0.0;
                }
                // l outer, j inner: each c[i,j] still receives its terms in increasing l, and the p sums
                // of a row advance side by side.
                for (int l = 0; l < n; l++)
                {
                    double ail = ai[l];
                    double* bl = pb + (long)l * p;
                    for (int j = 0; j < p; j++)
                    {
                        ci[j] += ail * bl[j];
                    }
                }
            }
        }
    }

    /// <summary>C[m×p] = A.T · B with A stored [n×m] (e.g. <c>layer_1.T.dot(delta)</c>), rows rowStart..rowEnd-1 of C.</summary>
    public static unsafe void MatMulTransposedA(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
                                                int n, int m, int p, int rowStart, int rowEnd)
    {
        Check(a, (long)n * m, b, (long)n * p, c, (long)rowEnd * p);
        fixed (double* pa = a, pb = b, pc = c)
        {
            for (long k = (long)rowStart * p; k < (long)rowEnd * p; k++)
            {
                pc[k] = 0.0;
            }
            for (int l = 0; l < n; l++)
            {
                double* al = pa + (long)l * m;
                double* bl = pb + (long)l * p;
                for (int i = rowStart; i < rowEnd; i++)
                {
                    double ali = al[i];
                    double* ci = pc + (long)i * p;
                    for (int j = 0; j < p; j++)
                    {
                        ci[j] += ali * bl[j];
                    }
                }
            }
        }
    }

    /// <summary>C[m×p] = A · B.T with A [m×n] and B stored [p×n] (e.g. <c>delta.dot(W.T)</c>), rows rowStart..rowEnd-1 of C.</summary>
    public static unsafe void MatMulTransposedB(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
                                                int n, int p, int rowStart, int rowEnd)
    {
        Check(a, (long)rowEnd * n, b, (long)p * n, c, (long)rowEnd * p);
        fixed (double* pa = a, pb = b, pc = c)
        {
            for (int i = rowStart; i < rowEnd; i++)
            {
                double* ai = pa + (long)i * n;
                for (int j = 0; j < p; j++)
                {
                    double* bj = pb + (long)j * n;
                    double s = 0.0;
                    for (int l = 0; l < n; l++)
                    {
                        s += ai[l] * bj[l];
                    }
                    pc[(long)i * p + j] = s;
                }
            }
        }
    }

    // The loops index through pointers (the spans are pinned), so the sizes are checked once, here.
    private static void Check(ReadOnlySpan<double> a, long aNeeded, ReadOnlySpan<double> b, long bNeeded, Span<double> c, long cNeeded)
    {
        if (a.Length < aNeeded || b.Length < bNeeded || c.Length < cNeeded)
        {
            throw new ArgumentException($"matrix buffers too small: have {a.Length}/{b.Length}/{c.Length}, need {aNeeded}/{bNeeded}/{cNeeded}");
        }
    }
}
