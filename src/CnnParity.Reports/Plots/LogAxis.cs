using System.Globalization;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace CnnParity.Reports.Plots;

/// <summary>
/// ScottPlot 5 has no log axis: plot log10 of the values, put major ticks on whole decades with log-spaced
/// minor ticks, and label each tick with the power of ten it stands for.
/// </summary>
internal static class LogAxis
{
    /// <summary>log10 of <paramref name="value"/>, with zero and negatives drawn at <paramref name="floorDecade"/>.</summary>
    public static double Log10(double value, double floorDecade) =>
        value > 0 && double.IsFinite(value) ? Math.Max(Math.Log10(value), floorDecade) : floorDecade;

    /// <summary>One decade below the smallest positive value (no lower than 1e-20), or 1e-17 when none is positive.</summary>
    public static double FloorDecade(IEnumerable<double> values)
    {
        var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        return positive.Count == 0 ? -17 : Math.Max(-20, Math.Floor(Math.Log10(positive.Min())) - 1);
    }

    public static double CeilingDecade(IEnumerable<double> values, double floorDecade)
    {
        var positive = values.Where(v => v > 0 && double.IsFinite(v)).ToList();
        double top = positive.Count == 0 ? floorDecade + 1 : Math.Ceiling(Math.Log10(positive.Max()));
        return Math.Max(top, floorDecade + 1);
    }

    public static ITickGenerator Ticks() => new NumericAutomatic
    {
        MinorTickGenerator = new LogMinorTickGenerator(),
        IntegerTicksOnly = true,
        LabelFormatter = Label,
    };

    /// <summary>"1e-12", "0.01", "1", "100": short, and exact at whole decades.</summary>
    private static string Label(double decade)
    {
        int d = (int)Math.Round(decade);
        return d is >= -2 and <= 3
            ? Math.Pow(10, d).ToString("0.##", CultureInfo.InvariantCulture)
            : "1e" + d.ToString(CultureInfo.InvariantCulture);
    }
}
