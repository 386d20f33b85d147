using CnnParity.Parity.Results;
using ScottPlot;

namespace CnnParity.Reports.Plots;

/// <summary>Test accuracy against epoch, one line per model; one-shot models and the book's printed run as flat reference lines.</summary>
internal static class AccuracyPlot
{
    public static string? Svg(IReadOnlyList<TrainingRun> runs, bool showBook)
    {
        if (runs.All(r => r.Epochs.Count == 0)) return null;
        var plot = PlotStyle.New("Test accuracy per epoch", "epoch", "test accuracy");
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var run in runs.Where(r => r.Epochs.Count > 0))
        {
            var color = palette.GetColor(colour++);
            if (run.Epochs.Count == 1)
            {
                var flat = plot.Add.HorizontalLine(run.Epochs[0].TestAcc, width: 2, color: color, pattern: LinePattern.Dashed);
                flat.LegendText = run.Model;
                continue;
            }
            double[] xs = [.. run.Epochs.Select(e => (double)e.Epoch)];
            double[] ys = [.. run.Epochs.Select(e => e.TestAcc)];
            var line = plot.Add.ScatterLine(xs, ys, color);
            // Each line a little thinner than the one before: a twin that tracks its model exactly
            // (the lockstep run) is drawn inside it instead of hiding it.
            line.LineWidth = Math.Max(1.5f, 3.5f - 0.75f * (colour - 1));
            line.LegendText = run.Model + (run.Diverged is null ? "" : " (diverged)");
            if (xs.Length <= 30) { line.MarkerSize = 5; line.MarkerShape = MarkerShape.FilledCircle; }
        }
        if (showBook)
        {
            var book = plot.Add.HorizontalLine(BookPrintedRun.TestAcc, width: 1.5f, color: Colors.Black, pattern: LinePattern.Dotted);
            book.LegendText = $"book, printed ({BookPrintedRun.Line})";
        }
        PlotStyle.EpochAxis(plot);
        plot.ShowLegend(Edge.Bottom);
        return PlotStyle.Svg(plot, "accuracy", height: 480);
    }
}
