using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Kernels;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The vectorised matrix product against the sums it promises, written out here one output at a time: every shape
/// in a grid (rows around the 4-row block, columns around the vector widths, K from 0), overwriting and accumulating,
/// with and without the biases, in both element types. Equal means equal bits.
/// </summary>
public unsafe class OrderedMatMulTests
{
    public static TheoryData<bool, bool, bool> Modes()
    {
        var modes = new TheoryData<bool, bool, bool>();
        foreach (bool accumulate in new[] { false, true })
            foreach (bool biases in new[] { false, true })
                foreach (bool use512 in new[] { false, true })
                    modes.Add(accumulate, biases, use512);
        return modes;
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Float64_equals_the_sequential_sums(bool accumulate, bool biases, bool use512) => Check<double>(accumulate, biases, use512);

    [Theory]
    [MemberData(nameof(Modes))]
    public void Float32_equals_the_sequential_sums(bool accumulate, bool biases, bool use512) => Check<float>(accumulate, biases, use512);

    private static void Check<T>(bool accumulate, bool biases, bool use512)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new NumPyRandomState(7);
        foreach (int m in new[] { 1, 2, 3, 4, 5, 6, 8, 9, 13, 17 })
        {
            foreach (int n in new[] { 1, 3, 4, 7, 8, 9, 15, 16, 17, 31, 33, 47, 48, 49, 70 })
            {
                foreach (int k in new[] { 0, 1, 5, 26 })
                {
                    // A is read with strides (2, 2m+1) to exercise both; B and C rows are padded.
                    int aRow = 2, aCol = 2 * m + 1, ldb = n + 3, ldc = n + 5;
                    T[] a = Draw<T>(random, aCol * Math.Max(k, 1) + aRow * m);
                    T[] b = Draw<T>(random, ldb * Math.Max(k, 1));
                    T[] c = Draw<T>(random, ldc * m);
                    T[] rowBias = Draw<T>(random, m), colBias = Draw<T>(random, n);
                    T[] expected = (T[])c.Clone();
                    for (int i = 0; i < m; i++)
                    {
                        for (int j = 0; j < n; j++)
                        {
                            T sum = accumulate ? c[i * ldc + j] : T.Zero;
                            for (int p = 0; p < k; p++)
                            {
                                sum += a[i * aRow + p * aCol] * b[p * ldb + j];
                            }
                            if (biases)
                            {
                                sum += rowBias[i];
                                sum += colBias[j];
                            }
                            expected[i * ldc + j] = sum;
                        }
                    }
                    fixed (T* pa = a, pb = b, pc = c, pr = rowBias, pq = colBias)
                    {
                        OrderedMatMul.Run(use512, m, n, k, pa, aRow, aCol, pb, ldb, pc, ldc, accumulate, biases ? pr : null, biases ? pq : null);
                    }
                    Assert.True(expected.AsSpan().SequenceEqual(c), $"{typeof(T).Name} m={m} n={n} k={k} accumulate={accumulate} biases={biases} 512-bit={use512}");
                }
            }
        }
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Rows_found_through_offset_tables_give_the_same_sums(bool accumulate, bool use512)
    {
        // A's and B's rows as windows at shuffled offsets into one buffer (as a convolution reads its input).
        var random = new NumPyRandomState(8);
        const int m = 13, n = 53, k = 11;
        double[] buffer = Draw<double>(random, 4000);
        nint[] aRows = [.. Enumerable.Range(0, m).Select(i => (nint)(1500 - 97 * i))];
        nint[] bRows = [.. Enumerable.Range(0, k).Select(p => (nint)((p * 389) % 2000 + 1900))];
        double[] c = Draw<double>(random, m * n), expected = (double[])c.Clone();
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++)
            {
                double sum = accumulate ? c[i * n + j] : 0.0;
                for (int p = 0; p < k; p++) sum += buffer[aRows[i] + 2 * p] * buffer[bRows[p] + j];
                expected[i * n + j] = sum;
            }
        fixed (double* pb = buffer, pc = c)
        fixed (nint* ar = aRows, br = bRows)
        {
            OrderedMatMul.Run(use512, m, n, k, pb, 0, 2, pb, 0, pc, n, accumulate, aRows: ar, bRows: br);
        }
        Assert.True(expected.AsSpan().SequenceEqual(c));
    }

    [Fact]
    public void A_changed_product_is_caught()
    {
        // The comparison above can fail: the same sums in another order (k descending) differ in some bits.
        var random = new NumPyRandomState(3);
        double[] a = Draw<double>(random, 64), b = Draw<double>(random, 64 * 16), c = new double[16];
        fixed (double* pa = a, pb = b, pc = c)
        {
            OrderedMatMul.Run(1, 16, 64, pa, 0, 1, pb, 16, pc, 16, accumulate: false);
        }
        var reversed = new double[16];
        for (int j = 0; j < 16; j++)
        {
            for (int p = 63; p >= 0; p--)
            {
                reversed[j] += a[p] * b[p * 16 + j];
            }
        }
        Assert.False(reversed.AsSpan().SequenceEqual(c));
    }

    internal static T[] Draw<T>(NumPyRandomState random, int count)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var values = new T[count];
        for (int i = 0; i < count; i++)
        {
            values[i] = T.CreateTruncating(2 * random.RandomSample() - 1);
        }
        return values;
    }
}
