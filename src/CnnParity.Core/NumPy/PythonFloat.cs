using System.Globalization;
using System.Numerics;
using System.Text;

namespace CnnParity.Core.NumPy;

/// <summary>
/// Python's <c>round(x, n)</c> and <c>repr(x)</c> (= <c>str(x)</c>) for floats, so that the C# log lines are
/// the characters the notebook prints. Mirrors CPython's <c>Objects/floatobject.c</c> (<c>double_round</c>)
/// and <c>Python/pystrtod.c</c> (<c>format_float_short</c>, repr mode 'r').
/// </summary>
public static class PythonFloat
{
    // CPython's bounds: beyond them round() returns x itself, or a signed zero.
    private const int NDigitsMax = 323; // (DBL_MANT_DIG - DBL_MIN_EXP) * 0.30103
    private const int NDigitsMin = -308; // -(DBL_MAX_EXP + 1) * 0.30103

    /// <summary>
    /// <c>round(x, ndigits)</c>: the exact binary value of x rounded to <paramref name="ndigits"/> decimal
    /// places, ties to even (CPython rounds the exact value with <c>_Py_dg_dtoa</c> mode 3), then read back as
    /// the nearest double. NaN and infinities round to themselves; the sign of a zero result is kept.
    /// Where Python raises OverflowError (a result too large for a double) this returns an infinity.
    /// </summary>
    public static double Round(double x, int ndigits)
    {
        if (!double.IsFinite(x) || ndigits > NDigitsMax)
        {
            return x;
        }
        if (ndigits < NDigitsMin)
        {
            return 0.0 * x;
        }
        bool negative = double.IsNegative(x);
        (BigInteger mantissa, int exponent) = Decompose(Math.Abs(x));

        // q = round_half_even(mantissa * 2^exponent * 10^ndigits), computed exactly.
        BigInteger num = mantissa;
        BigInteger den = BigInteger.One;
        if (exponent >= 0)
        {
            num <<= exponent;
        }
        else
        {
            den <<= -exponent;
        }
        if (ndigits >= 0)
        {
            num *= BigInteger.Pow(10, ndigits);
        }
        else
        {
            den *= BigInteger.Pow(10, -ndigits);
        }
        BigInteger q = BigInteger.DivRem(num, den, out BigInteger rem);
        int cmp = (rem << 1).CompareTo(den);
        if (cmp > 0 || (cmp == 0 && !q.IsEven))
        {
            q += BigInteger.One;
        }
        // .NET's parser is correctly rounded (IEEE 754-2008 compliant since .NET Core 3.0), as _Py_dg_strtod is.
        string text = (negative ? "-" : "") + q.ToString(CultureInfo.InvariantCulture) + "E" +
                      (-ndigits).ToString(CultureInfo.InvariantCulture);
        return double.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// <c>repr(x)</c>: the shortest digit string that reads back as x, laid out as Python lays it out
    /// (fixed notation for 1e-4 &lt;= |x| &lt; 1e16 with at least one digit after the point, otherwise
    /// <c>d.ddde±XX</c>), <c>inf</c>, <c>-inf</c>, <c>nan</c>.
    /// </summary>
    public static string Repr(double x)
    {
        if (double.IsNaN(x))
        {
            return "nan";
        }
        if (double.IsInfinity(x))
        {
            return x > 0 ? "inf" : "-inf";
        }
        (string digits, int decpt) = ShortestDigits(x);
        var sb = new StringBuilder(32);
        if (double.IsNegative(x))
        {
            sb.Append('-');
        }

        // format_float_short, mode 'r' with Py_DTSF_ADD_DOT_0; x = 0.DIGITS * 10^decpt.
        bool useExp = decpt <= -4 || decpt > 16;
        int exp = 0;
        if (useExp)
        {
            exp = decpt - 1;
            decpt = 1;
        }
        int digitsLen = digits.Length;
        int vdigitsEnd = Math.Max(digitsLen, useExp ? decpt : decpt + 1);

        if (decpt <= 0)
        {
            sb.Append("0.").Append('0', -decpt).Append(digits);
            sb.Append('0', vdigitsEnd - digitsLen);
        }
        else if (decpt <= digitsLen)
        {
            sb.Append(digits, 0, decpt).Append('.').Append(digits, decpt, digitsLen - decpt);
            sb.Append('0', vdigitsEnd - digitsLen);
        }
        else
        {
            sb.Append(digits).Append('0', decpt - digitsLen).Append('.').Append('0', vdigitsEnd - decpt);
        }
        if (sb[^1] == '.')
        {
            sb.Length--;
        }
        if (useExp)
        {
            sb.Append('e').Append(exp < 0 ? '-' : '+').Append(Math.Abs(exp).ToString("00", CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    /// <summary>Python's <c>str(round(x, ndigits))</c>, as the notebook's log line prints an accuracy.</summary>
    public static string RoundRepr(double x, int ndigits) => Repr(Round(x, ndigits));

    /// <summary>
    /// The shortest round-trip digits of a finite x (no sign, no leading or trailing zeros; "0" for zero)
    /// and the decimal point position, x = 0.DIGITS * 10^decpt. .NET's round-trip formatting (since .NET
    /// Core 3.0) produces the same shortest, closest digits as Python's <c>_Py_dg_dtoa</c> mode 0; only the
    /// layout differs, so the digits are taken from it and laid out again.
    /// </summary>
    internal static (string Digits, int DecimalPoint) ShortestDigits(double x)
    {
        if (x == 0)
        {
            return ("0", 1);
        }
        string s = Math.Abs(x).ToString("R", CultureInfo.InvariantCulture);
        int e = s.IndexOfAny(['E', 'e']);
        int exp10 = 0;
        if (e >= 0)
        {
            exp10 = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
            s = s[..e];
        }
        int dot = s.IndexOf('.');
        string intPart = dot >= 0 ? s[..dot] : s;
        string all = dot >= 0 ? intPart + s[(dot + 1)..] : intPart;
        int decpt = intPart.Length + exp10;
        int lead = 0;
        while (lead < all.Length && all[lead] == '0')
        {
            lead++;
        }
        decpt -= lead;
        string digits = all[lead..].TrimEnd('0');
        return (digits, decpt);
    }

    private static (BigInteger Mantissa, int Exponent) Decompose(double positive)
    {
        long bits = BitConverter.DoubleToInt64Bits(positive);
        int biased = (int)((bits >> 52) & 0x7FF);
        long fraction = bits & 0xFFFFFFFFFFFFFL;
        return biased == 0
            ? (new BigInteger(fraction), -1074)
            : (new BigInteger(fraction | (1L << 52)), biased - 1075);
    }
}
