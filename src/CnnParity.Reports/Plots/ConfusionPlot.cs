using System.Globalization;
using CnnParity.Reports.Metrics;
using ScottPlot;

namespace CnnParity.Reports.Plots;

/// <summary>
/// One model's confusion matrix (true digit down, predicted digit across) as a heatmap with the counts
/// written in the cells. Colour is the row fraction, so a rare digit's mistakes are as visible as a common one's.
/// </summary>
internal static class ConfusionPlot
{
    public const int Size = 400;

    public static string Svg(ClassificationMetrics m, int index)
    {
        int n = m.ConfusionMatrix.Count;
        var plot = PlotStyle.New(m.Model, "predicted digit", "true digit");
        plot.Axes.Title.Label.FontSize = 13;

        var fraction = new double[n, n];
        for (int t = 0; t < n; t++)
        {
            double rowTotal = m.ConfusionMatrix[t].Sum();
            for (int p = 0; p < n; p++)
                fraction[t, p] = rowTotal > 0 ? m.ConfusionMatrix[t][p] / rowTotal : 0;
        }
        // Cells drawn as rectangles, not as ScottPlot's Heatmap: its bitmap is a 10x10 image the browser blurs
        // when scaling, and its rectangle mode centres the outer cells on the extent's edges. Row t sits at
        // y = n-1-t so the true digits read 0..9 downwards, as in a printed confusion matrix.
        var colormap = new ScottPlot.Colormaps.Reversed(new ScottPlot.Colormaps.Blues()); // white = none, dark = all
        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
            {
                double y = n - 1 - t;
                var cell = plot.Add.Rectangle(p - 0.5, p + 0.5, y - 0.5, y + 0.5);
                cell.FillColor = colormap.GetColor(fraction[t, p]);
                cell.LineWidth = 0;
            }

        for (int t = 0; t < n; t++)
            for (int p = 0; p < n; p++)
            {
                long count = m.ConfusionMatrix[t][p];
                if (count == 0) continue;
                var text = plot.Add.Text(count.ToString(CultureInfo.InvariantCulture), p, n - 1 - t);
                text.LabelAlignment = Alignment.MiddleCenter;
                text.LabelFontSize = 10;
                text.LabelFontColor = fraction[t, p] > 0.5 ? Colors.White : Colors.Black;
            }

        double[] positions = [.. Enumerable.Range(0, n).Select(i => (double)i)];
        plot.Axes.Bottom.SetTicks(positions, [.. Enumerable.Range(0, n).Select(i => i.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.Left.SetTicks(positions, [.. Enumerable.Range(0, n).Select(i => (n - 1 - i).ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.SetLimits(-0.5, n - 0.5, -0.5, n - 0.5);
        plot.Grid.IsVisible = false;
        return PlotStyle.Svg(plot, $"confusion{index}", Size, Size);
    }
}
