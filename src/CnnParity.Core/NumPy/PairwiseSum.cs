namespace CnnParity.Core.NumPy;

/// <summary>
/// <c>np.sum</c> of a contiguous run of float64, in NumPy's order: <c>pairwise_sum_DOUBLE</c>
/// (<c>numpy/core/src/umath/loops_utils.h.src</c>) added to the reduction's initial value 0.0.
/// Below 8 values the sum is sequential; up to 128 it runs 8 interleaved accumulators and combines
/// them as <c>((r0+r1)+(r2+r3))+((r4+r5)+(r6+r7))</c> before adding the remainder one by one;
/// above 128 it splits in two halves (the first a multiple of 8) and adds their sums.
/// For a softmax row of 10 values that is <c>(((e0+e1)+(e2+e3))+((e4+e5)+(e6+e7)))+e8+e9</c>.
/// </summary>
public static class PairwiseSum
{
    /// <summary>NumPy's unroll and block size (<c>PW_BLOCKSIZE</c>).</summary>
    public const int BlockSize = 128;

    /// <summary><c>np.sum(values)</c> for a 1-d contiguous array (or one row of <c>np.sum(a, axis=-1)</c>).</summary>
    public static double Sum(ReadOnlySpan<double> values) => 0.0 + Pairwise(values);

    /// <summary><c>pairwise_sum_DOUBLE</c> itself, without the reduction's initial 0.0.</summary>
    public static double Pairwise(ReadOnlySpan<double> a)
    {
        int n = a.Length;
        if (n < 8)
        {
            double res = 0.0;
            for (int i = 0; i < n; i++)
            {
                res += a[i];
            }
            return res;
        }
        if (n <= BlockSize)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3];
            double r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            int i;
            for (i = 8; i < n - (n % 8); i += 8)
            {
                r0 += a[i + 0];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }
            double res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += a[i];
            }
            return res;
        }
        int n2 = n / 2;
        n2 -= n2 % 8;
        return Pairwise(a[..n2]) + Pairwise(a[n2..]);
    }
}
