using CnnParity.Reports.Model;
using ScottPlot;

namespace CnnParity.Reports.Plots;

/// <summary>Time relative to the fastest implementation of the same work, one bar per (implementation, work).</summary>
internal static class SpeedPlot
{
    public static string? Svg(IReadOnlyList<SpeedRow> rows)
    {
        if (rows.Count == 0) return null;
        var plot = PlotStyle.New("Speed: median time relative to the fastest for the same work", "× fastest", "");
        var works = rows.Select(r => r.Work).Distinct().ToList();
        var palette = new ScottPlot.Palettes.Category10();
        var bars = rows.Select((r, i) => new Bar
        {
            Position = rows.Count - 1 - i,
            Value = double.IsFinite(r.RatioToFastest) ? r.RatioToFastest : 0,
            FillColor = palette.GetColor(works.IndexOf(r.Work)),
            Label = double.IsFinite(r.RatioToFastest) ? r.RatioToFastest.ToString("0.0#", System.Globalization.CultureInfo.InvariantCulture) + "×" : "n/a",
            Size = 0.7,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;
        barPlot.ValueLabelStyle.FontSize = 12;

        plot.Axes.Left.SetTicks(
            [.. rows.Select((_, i) => (double)(rows.Count - 1 - i))],
            [.. rows.Select(r => $"{r.Implementation} — {r.Work}")]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        double max = rows.Select(r => r.RatioToFastest).Where(double.IsFinite).DefaultIfEmpty(1).Max();
        plot.Axes.SetLimits(0, max * 1.15, -0.6, rows.Count - 0.4);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        return PlotStyle.Svg(plot, "speed", height: Math.Max(240, 70 + 32 * rows.Count));
    }
}
