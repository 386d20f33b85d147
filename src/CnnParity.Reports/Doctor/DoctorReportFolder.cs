using CnnParity.Parity.Doctor;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Doctor;

/// <summary>
/// Writes doctor-report.md, .json and .html together, as <see cref="ReportFolder"/> writes the parity report: rendered
/// first, then renamed over the old ones only once all three are on disk.
/// </summary>
public static class DoctorReportFolder
{
    /// <summary>The three files' full paths, Markdown first.</summary>
    public static IReadOnlyList<string> Write(DoctorReport report, string outDir)
    {
        string folder = ReportFolder.WriteAll(outDir,
        [
            new(DoctorMarkdownWriter.FileName, DoctorMarkdownWriter.Render(report)),
            new(DoctorJsonWriter.FileName, DoctorJsonWriter.Render(report)),
            new(DoctorHtmlWriter.FileName, DoctorHtmlWriter.Render(report)),
        ]);
        return [.. new[] { DoctorMarkdownWriter.FileName, DoctorJsonWriter.FileName, DoctorHtmlWriter.FileName }.Select(f => Path.Combine(folder, f))];
    }
}
