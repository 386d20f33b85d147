using System.Text;
using CnnParity.Core;
using CnnParity.Core.IO;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Writers;

/// <summary>
/// Writes parity-report.md, .json and .html into one folder so that a failed or interrupted run leaves the
/// previous report as it was: all three are rendered in memory first, then each goes to a temporary file in
/// the same folder, and only when all three are on disk are they renamed over the old ones.
/// </summary>
public static class ReportFolder
{
    public const string StepSummaryVariable = "GITHUB_STEP_SUMMARY";

    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    /// <summary>
    /// Computes the ML.NET metrics of every training run, renders and writes the three files, and appends the
    /// Markdown summary to $GITHUB_STEP_SUMMARY when it is set. A folder that cannot be written is a
    /// <see cref="CnnParityException"/> (exit code 2).
    /// </summary>
    public static WrittenReport Write(ParityReport report, string outDir) =>
        Write(report, outDir, System.Environment.GetEnvironmentVariable(StepSummaryVariable));

    /// <summary>As <see cref="Write(ParityReport, string)"/>, with the step summary file given (null or empty: none).</summary>
    public static WrittenReport Write(ParityReport report, string outDir, string? stepSummaryPath)
    {
        var metrics = MlNetMetrics.EvaluateAll(report.Training);
        var files = Render(report, metrics);
        string folder = WriteAll(outDir, files);
        string? summary = string.IsNullOrEmpty(stepSummaryPath) ? null : stepSummaryPath;
        if (summary is not null) AppendStepSummary(summary, MarkdownReportWriter.RenderSummary(report, metrics));
        return new WrittenReport(folder,
            Path.Combine(folder, MarkdownReportWriter.FileName), Path.Combine(folder, JsonReportWriter.FileName),
            Path.Combine(folder, HtmlReportWriter.FileName), metrics, summary);
    }

    /// <summary>
    /// Fails fast, before a long run, when <paramref name="outDir"/> cannot be created or written: creates it
    /// and writes and deletes one empty temporary file. The report files themselves are not touched.
    /// </summary>
    public static void CheckWritable(string outDir)
    {
        try
        {
            AtomicFile.ProbeWritable(Path.GetFullPath(outDir), "write-check");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CnnParityException($"cannot write the report to '{outDir}': {OneLine(e.Message)}", 2, e);
        }
    }

    /// <summary>The three files, rendered; nothing touches the disk.</summary>
    public static IReadOnlyList<ReportFile> Render(ParityReport report, IReadOnlyList<ClassificationMetrics> metrics) =>
    [
        new(MarkdownReportWriter.FileName, MarkdownReportWriter.Render(report, metrics)),
        new(JsonReportWriter.FileName, JsonReportWriter.Render(report, metrics)),
        new(HtmlReportWriter.FileName, HtmlReportWriter.Render(report, metrics)),
    ];

    /// <summary>Writes rendered files into <paramref name="outDir"/> (created if missing); returns its full path.</summary>
    public static string WriteAll(string outDir, IReadOnlyList<ReportFile> files) =>
        WriteAll(outDir, files, (path, bytes) => File.WriteAllBytes(path, bytes));

    /// <param name="writeTemp">writes one temporary file; tests put a failure here</param>
    internal static string WriteAll(string outDir, IReadOnlyList<ReportFile> files, Action<string, byte[]> writeTemp)
    {
        string folder;
        var temps = new List<(string Temp, string Final)>();
        try
        {
            folder = Path.GetFullPath(outDir);
            Directory.CreateDirectory(folder);
            // Temporary files sit beside their targets: a rename within one folder (one file system) is atomic.
            foreach (var file in files)
            {
                string final = Path.Combine(folder, file.FileName);
                string temp = AtomicFile.TempBeside(final);
                temps.Add((temp, final));
                writeTemp(temp, Utf8NoBom.GetBytes(file.Content));
            }
            foreach (var (temp, final) in temps) File.Move(temp, final, overwrite: true);
            return folder;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CnnParityException($"cannot write the report to '{outDir}': {OneLine(e.Message)}", 2, e);
        }
        finally
        {
            foreach (var (temp, _) in temps) AtomicFile.TryDelete(temp);
        }
    }

    private static void AppendStepSummary(string path, string markdown)
    {
        try
        {
            File.AppendAllText(path, markdown + "\n", Utf8NoBom);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CnnParityException($"cannot append to {StepSummaryVariable} '{path}': {OneLine(e.Message)}", 2, e);
        }
    }

    private static string OneLine(string s) => s.ReplaceLineEndings(" ").Trim();
}
