using CnnParity.Core;
using CnnParity.Parity.Triage;
using ScottPlot;

namespace CnnParity.Reports.Plots;

/// <summary>
/// Each forward check's worst element in bounds (the largest ratio of any side's distance from the float64 truth to its
/// bound) as a horizontal bar on a log axis, with the bound, 1, as a mark on the same row: a bar past its mark is a
/// failure.
/// </summary>
internal static class ForwardErrorPlot
{
    public static string? Svg(IReadOnlyList<TriagedCheck> rows)
    {
        if (rows.Count == 0) return null;
        var ratios = rows.Select(r => r.Sides.Select(s => s.Ratio).DefaultIfEmpty(0).Max()).ToList();
        double floor = LogAxis.FloorDecade([.. ratios, 1]);
        double ceiling = LogAxis.CeilingDecade([.. ratios, 1], floor);

        var plot = PlotStyle.New("Forward pass: worst element per layer, in bounds of the float64 truth", "|side − truth| / bound (log scale)", "");
        var pass = Colors.SteelBlue;
        var fail = Colors.Crimson;
        // First check at the top, as in the table.
        var bars = rows.Select((r, i) => new Bar
        {
            Position = rows.Count - 1 - i,
            ValueBase = floor,
            Value = LogAxis.Log10(ratios[i], floor),
            FillColor = r.Pass ? pass : fail,
            Size = 0.7,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        double[] markX = [.. rows.Select(_ => LogAxis.Log10(1, floor))];
        double[] markY = [.. rows.Select((_, i) => (double)(rows.Count - 1 - i))];
        var marks = plot.Add.ScatterPoints(markX, markY, Colors.Black);
        marks.MarkerShape = MarkerShape.VerticalBar;
        marks.MarkerSize = 22;
        marks.MarkerLineWidth = 2;
        marks.LegendText = "the bound";

        plot.Axes.Left.SetTicks(
            [.. rows.Select((_, i) => (double)(rows.Count - 1 - i))],
            [.. rows.Select(r => $"{r.Tensor} {r.Dtype.ShortName()} ({r.Scope})")]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = LogAxis.Ticks();
        plot.Axes.SetLimits(floor, ceiling + 0.3, -0.6, rows.Count - 0.4);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.ShowLegend(Edge.Bottom);
        return PlotStyle.Svg(plot, "forward", height: Math.Max(260, 70 + 32 * rows.Count));
    }
}
