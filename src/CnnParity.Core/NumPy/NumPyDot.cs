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
    public static void MatMul(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
                              int n, int p, int rowStart, int rowEnd)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            Span<double> ci = c.Slice(i * p, p);
            ci.Clear();
            ReadOnlySpan<double> ai = a.Slice(i * n, n);
            // l outer, j inner: each c[i,j] still receives its terms in increasing l.
            for (int l = 0; l < n; l++)
            {
                double ail = ai[l];
                ReadOnlySpan<double> bl = b.Slice(l * p, p);
                for (int j = 0; j < ci.Length; j++)
                {
                    ci[j] += ail * bl[j];
                }
            }
        }
    }

    /// <summary>C[m×p] = A.T · B with A stored [n×m] (e.g. <c>layer_1.T.dot(delta)</c>), rows rowStart..rowEnd-1 of C.</summary>
    public static void MatMulTransposedA(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
                                         int n, int m, int p, int rowStart, int rowEnd)
    {
        c.Slice(rowStart * p, (rowEnd - rowStart) * p).Clear();
        for (int l = 0; l < n; l++)
        {
            ReadOnlySpan<double> al = a.Slice(l * m, m);
            ReadOnlySpan<double> bl = b.Slice(l * p, p);
            for (int i = rowStart; i < rowEnd; i++)
            {
                double ali = al[i];
                Span<double> ci = c.Slice(i * p, p);
                for (int j = 0; j < ci.Length; j++)
                {
                    ci[j] += ali * bl[j];
                }
            }
        }
    }

    /// <summary>C[m×p] = A · B.T with A [m×n] and B stored [p×n] (e.g. <c>delta.dot(W.T)</c>), rows rowStart..rowEnd-1 of C.</summary>
    public static void MatMulTransposedB(ReadOnlySpan<double> a, ReadOnlySpan<double> b, Span<double> c,
                                         int n, int p, int rowStart, int rowEnd)
    {
        for (int i = rowStart; i < rowEnd; i++)
        {
            ReadOnlySpan<double> ai = a.Slice(i * n, n);
            Span<double> ci = c.Slice(i * p, p);
            for (int j = 0; j < p; j++)
            {
                ReadOnlySpan<double> bj = b.Slice(j * n, n);
                double s = 0.0;
                for (int l = 0; l < ai.Length; l++)
                {
                    s += ai[l] * bj[l];
                }
                ci[j] = s;
            }
        }
    }
}
