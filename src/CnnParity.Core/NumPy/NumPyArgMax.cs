namespace CnnParity.Core.NumPy;

/// <summary>
/// <c>np.argmax</c> over a contiguous float64 run: the first maximum wins, and the first NaN wins over
/// everything (NumPy's rule <c>if (!(v &lt;= max)) { max = v; index = i; if (isnan(max)) break; }</c>).
/// </summary>
public static class NumPyArgMax
{
    /// <summary>Index of the first maximum; throws on an empty run, as NumPy does.</summary>
    public static int ArgMax(ReadOnlySpan<double> values)
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("attempt to get argmax of an empty sequence", nameof(values));
        }
        double max = values[0];
        int index = 0;
        if (double.IsNaN(max))
        {
            return 0;
        }
        for (int i = 1; i < values.Length; i++)
        {
            double v = values[i];
            if (!(v <= max))
            {
                max = v;
                index = i;
                if (double.IsNaN(max))
                {
                    break;
                }
            }
        }
        return index;
    }
}
