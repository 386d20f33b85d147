using CnnParity.Core;
using CnnParity.Parity.Results;
using ScottPlot;

namespace CnnParity.Reports.Plots;

/// <summary>
/// Max relative error of each forward comparison as a horizontal bar on a log axis, with the tolerance's rtol
/// as a mark on the same row: a bar that passes its mark is a failure.
/// </summary>
internal static class ForwardErrorPlot
{
    public static string? Svg(IReadOnlyList<LayerComparison> rows)
    {
        if (rows.Count == 0) return null;
        var values = rows.Select(r => r.Distance.MaxRel).Concat(rows.Select(r => r.Tolerance.Rtol)).ToList();
        double floor = LogAxis.FloorDecade(values);
        double ceiling = LogAxis.CeilingDecade(values, floor);

        var plot = PlotStyle.New("Forward pass: max relative error per layer", "max relative error (log scale)", "");
        var pass = Colors.SteelBlue;
        var fail = Colors.Crimson;
        // First comparison at the top, as in the table.
        var bars = rows.Select((r, i) => new Bar
        {
            Position = rows.Count - 1 - i,
            ValueBase = floor,
            Value = LogAxis.Log10(r.Distance.MaxRel, floor),
            FillColor = r.Pass ? pass : fail,
            Size = 0.7,
        }).ToList();
        var barPlot = plot.Add.Bars(bars);
        barPlot.Horizontal = true;

        double[] markX = [.. rows.Select(r => LogAxis.Log10(r.Tolerance.Rtol, floor))];
        double[] markY = [.. rows.Select((_, i) => (double)(rows.Count - 1 - i))];
        var marks = plot.Add.ScatterPoints(markX, markY, Colors.Black);
        marks.MarkerShape = MarkerShape.VerticalBar;
        marks.MarkerSize = 22;
        marks.MarkerLineWidth = 2;
        marks.LegendText = "tolerance rtol";

        plot.Axes.Left.SetTicks(
            [.. rows.Select((_, i) => (double)(rows.Count - 1 - i))],
            [.. rows.Select(r => $"{r.Layer} {r.Dtype.ShortName()} ({r.Scope})")]);
        plot.Axes.Left.MajorTickStyle.Length = 0;
        plot.Axes.Bottom.TickGenerator = LogAxis.Ticks();
        plot.Axes.SetLimits(floor, ceiling + 0.3, -0.6, rows.Count - 0.4);
        plot.Grid.YAxisStyle.MajorLineStyle.Width = 0;
        plot.ShowLegend(Edge.Bottom);
        return PlotStyle.Svg(plot, "forward", height: Math.Max(260, 70 + 32 * rows.Count));
    }
}
