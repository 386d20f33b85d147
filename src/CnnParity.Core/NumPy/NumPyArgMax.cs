using System.Numerics;

namespace CnnParity.Core.NumPy;

/// <summary>
/// <c>np.argmax</c> over a contiguous run: the first maximum wins, and the first NaN wins over everything (NumPy's rule
/// <c>if (!(v &lt;= max)) { max = v; index = i; if (isnan(max)) break; }</c>), in float64 or float32.
/// </summary>
public static class NumPyArgMax
{
    /// <summary>Index of the first maximum; throws on an empty run, as NumPy does.</summary>
    public static int ArgMax(ReadOnlySpan<double> values) => ArgMax<double>(values);

    /// <inheritdoc cref="ArgMax(ReadOnlySpan{double})"/>
    public static int ArgMax<T>(ReadOnlySpan<T> values)
        where T : IFloatingPointIeee754<T>
    {
        if (values.IsEmpty)
        {
            throw new ArgumentException("attempt to get argmax of an empty sequence", nameof(values));
        }
        T max = values[0];
        int index = 0;
        if (T.IsNaN(max))
        {
            return 0;
        }
        for (int i = 1; i < values.Length; i++)
        {
            T v = values[i];
            if (!(v <= max))
            {
                max = v;
                index = i;
                if (T.IsNaN(max))
                {
                    break;
                }
            }
        }
        return index;
    }
}
