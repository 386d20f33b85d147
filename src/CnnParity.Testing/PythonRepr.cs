using System.Globalization;

namespace CnnParity.Testing;

/// <summary>
/// Numbers as Python's <c>repr</c> prints them, so that a failure message reads like PyTorch's: floats with the
/// shortest digits that round-trip (.NET's "R" finds the same digits), in Python's layout (<c>1e-05</c>,
/// <c>0.001</c>, <c>3.0</c>, <c>inf</c>, <c>nan</c>); shape and index tuples as <c>(2,)</c> and <c>(0, 1)</c>.
/// </summary>
internal static class PythonRepr
{
    public static string Float(double x)
    {
        if (double.IsNaN(x)) return "nan";
        if (double.IsInfinity(x)) return x > 0 ? "inf" : "-inf";
        string r = x.ToString("R", CultureInfo.InvariantCulture);
        string sign = r.StartsWith('-') ? "-" : "";
        r = r.TrimStart('-');
        int e = r.IndexOf('E');
        string mantissa = e < 0 ? r : r[..e];
        int exponent = e < 0 ? 0 : int.Parse(r[(e + 1)..], CultureInfo.InvariantCulture);
        int point = mantissa.IndexOf('.');
        string digits = point < 0 ? mantissa : mantissa.Remove(point, 1);
        // value = 0.<digits> × 10^decimalPoint, as CPython's format_float_short counts it
        int decimalPoint = (point < 0 ? mantissa.Length : point) + exponent;
        int leadingZeros = digits.Length - digits.TrimStart('0').Length;
        digits = digits.Trim('0');
        if (digits.Length == 0) return sign + "0.0";
        decimalPoint -= leadingZeros;

        if (decimalPoint > -4 && decimalPoint <= 16)
        {
            if (decimalPoint <= 0) return sign + "0." + new string('0', -decimalPoint) + digits;
            if (decimalPoint >= digits.Length) return sign + digits + new string('0', decimalPoint - digits.Length) + ".0";
            return sign + digits[..decimalPoint] + "." + digits[decimalPoint..];
        }
        int exp = decimalPoint - 1;
        string m = digits.Length == 1 ? digits : digits[0] + "." + digits[1..];
        return $"{sign}{m}e{(exp < 0 ? '-' : '+')}{Math.Abs(exp):00}";
    }

    /// <summary>A Python tuple of integers: <c>()</c>, <c>(3,)</c>, <c>(2, 3)</c>.</summary>
    public static string Tuple(IReadOnlyList<long> items) => items.Count switch
    {
        0 => "()",
        1 => $"({items[0]},)",
        _ => "(" + string.Join(", ", items) + ")",
    };

    /// <summary>The multi-dimensional index of a flat C-order index.</summary>
    public static long[] Unravel(long flat, IReadOnlyList<long> shape)
    {
        var index = new long[shape.Count];
        for (int d = shape.Count - 1; d >= 0; d--)
        {
            long size = Math.Max(shape[d], 1);
            index[d] = flat % size;
            flat /= size;
        }
        return index;
    }
}
