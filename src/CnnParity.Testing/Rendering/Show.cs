using System.Globalization;

namespace CnnParity.Testing.Rendering;

/// <summary>How numbers read in the Markdown and HTML tables: invariant culture, fixed widths where they are compared by eye.</summary>
internal static class Show
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>Accuracy with four decimals, as the book prints it.</summary>
    public static string Acc(double x) => Finite(x) ? x.ToString("F4", Inv) : NonFinite(x);

    /// <summary>An error or ratio spanning many orders of magnitude: 3 significant digits, scientific when small.</summary>
    public static string Sci(double x)
    {
        if (!Finite(x)) return NonFinite(x);
        if (x == 0) return "0";
        double a = Math.Abs(x);
        return a is >= 1e-3 and < 1e4 ? x.ToString("G3", Inv) : x.ToString("0.00e+0", Inv);
    }

    public static string Int(long x) => x.ToString("N0", Inv);

    /// <summary>A fraction as a percentage; never rounds a non-zero shortfall up to 100%.</summary>
    public static string Percent(long part, long whole)
    {
        if (whole == 0) return "–";
        if (part == whole) return "100%";
        double p = 100.0 * part / whole;
        return Math.Min(p, 99.9).ToString("0.0", Inv) + "%";
    }

    public static string Seconds(double s) =>
        !Finite(s) ? NonFinite(s)
        : s >= 1 ? s.ToString("F2", Inv) + " s"
        : s >= 1e-3 ? (s * 1e3).ToString("F1", Inv) + " ms"
        : (s * 1e6).ToString("F0", Inv) + " µs";

    public static string Ratio(double r) => Finite(r) ? r.ToString("F2", Inv) + "×" : NonFinite(r);

    public static string Fixed(double x, int decimals) => Finite(x) ? x.ToString("F" + decimals, Inv) : NonFinite(x);

    public static string G(double x) => Finite(x) ? x.ToString("G4", Inv) : NonFinite(x);

    public const string None = "–";

    private static bool Finite(double x) => double.IsFinite(x);

    private static string NonFinite(double x) => double.IsNaN(x) ? "NaN" : x > 0 ? "+Inf" : "-Inf";
}
