using CnnParity.Parity.Results;

namespace CnnParity.Reports.Plots;

/// <summary>
/// How far the TorchSharp twin trained in lockstep drifts from the from-scratch network per epoch, on a log scale
/// because healthy drift lives near 1e-15 and a bug near 1e-2: the drift (max |Δ| over a tensor relative to its largest
/// parameter, the worst tensor's), beside the engine's own sensitivity.
/// </summary>
internal static class LockstepDriftPlot
{
    public static string? Svg(IReadOnlyList<TrainingRun> runs)
    {
        var lockstep = runs.Where(r => r.Epochs.Any(e => e.MaxParamRelDiff is not null)).ToList();
        if (lockstep.Count == 0) return null;
        var values = lockstep.SelectMany(r => r.Epochs).Where(e => e.MaxParamRelDiff is not null)
            .Select(e => e.MaxParamRelDiff!.Value)
            .Concat(lockstep.SelectMany(r => r.Epochs).Select(e => e.Sensitivity).OfType<double>()).ToList();
        double floor = LogAxis.FloorDecade(values);
        double ceiling = LogAxis.CeilingDecade(values, floor);

        var plot = PlotStyle.New("Lockstep: drift per epoch", "epoch", "max |Δparameter| / max |parameter| per tensor");
        var palette = new ScottPlot.Palettes.Category10();
        int colour = 0;
        foreach (var run in lockstep)
        {
            var epochs = run.Epochs.Where(e => e.MaxParamRelDiff is not null).ToList();
            double[] xs = [.. epochs.Select(e => (double)e.Epoch)];
            double[] ys = [.. epochs.Select(e => LogAxis.Log10(e.MaxParamRelDiff!.Value, floor))];
            var color = palette.GetColor(colour++);
            var line = plot.Add.ScatterLine(xs, ys, color);
            line.LineWidth = 2;
            line.LegendText = run.Model;
            if (xs.Length <= 30) { line.MarkerSize = 5; line.MarkerShape = ScottPlot.MarkerShape.FilledCircle; }
            // The engine's own sensitivity (itself one ULP away), the yardstick of rounding, dashed.
            var measured = epochs.Where(e => e.Sensitivity is not null).ToList();
            if (measured.Count == 0) continue;
            double[] ex = [.. measured.Select(e => (double)e.Epoch)];
            double[] ey = [.. measured.Select(e => LogAxis.Log10(e.Sensitivity!.Value, floor))];
            var echo = plot.Add.ScatterLine(ex, ey, color);
            echo.LineWidth = 1.5f;
            echo.LinePattern = ScottPlot.LinePattern.Dashed;
            echo.LegendText = "from-scratch engine against itself one ULP away (sensitivity)";
        }
        plot.Axes.Left.TickGenerator = LogAxis.Ticks();
        plot.Axes.SetLimitsY(floor - 0.2, ceiling + 0.2);
        PlotStyle.EpochAxis(plot);
        plot.ShowLegend(ScottPlot.Edge.Bottom);
        return PlotStyle.Svg(plot, "lockstep");
    }
}
