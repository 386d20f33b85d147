using CnnParity.Reports.Metrics;

namespace CnnParity.Reports.Writers;

/// <summary>Where the report went, and the ML.NET metrics it contains (for a console summary).</summary>
public sealed record WrittenReport(
    string Folder, string MarkdownPath, string JsonPath, string HtmlPath,
    IReadOnlyList<ClassificationMetrics> Metrics, string? StepSummaryPath);
