using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Plots;

/// <summary>The SVGs for one plot slot of the report: none when there is nothing to draw.</summary>
internal static class ReportPlots
{
    public static IReadOnlyList<string> For(PlotKind kind, ParityReport r, IReadOnlyList<ClassificationMetrics> metrics) =>
        kind switch
        {
            PlotKind.Accuracy => One(AccuracyPlot.Svg(r.Training, r.Configuration.IsBookPrintedRun)),
            PlotKind.LockstepDrift => One(LockstepDriftPlot.Svg(r.Training)),
            PlotKind.ForwardError => One(ForwardErrorPlot.Svg(r.Forward)),
            PlotKind.Speed => One(SpeedPlot.Svg(r.Speed.Rows)),
            PlotKind.Confusion => [.. metrics.Where(m => m.ConfusionMatrix.Count > 0).Select(ConfusionPlot.Svg)],
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };

    private static IReadOnlyList<string> One(string? svg) => svg is null ? [] : [svg];
}
