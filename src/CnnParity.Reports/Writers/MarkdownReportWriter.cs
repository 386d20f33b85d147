using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>parity-report.md: GitHub-flavoured Markdown, verdict on the first line (plots live in the HTML report).</summary>
public static class MarkdownReportWriter
{
    public const string FileName = "parity-report.md";

    /// <summary>The whole report.</summary>
    public static string Render(ParityReport report, IReadOnlyList<ClassificationMetrics> metrics) =>
        MarkdownBlocks.Render(ReportContent.Full(report, metrics));

    /// <summary>Verdict and tables, for GITHUB_STEP_SUMMARY.</summary>
    public static string RenderSummary(ParityReport report, IReadOnlyList<ClassificationMetrics> metrics) =>
        MarkdownBlocks.Render(ReportContent.Summary(report, metrics));
}
