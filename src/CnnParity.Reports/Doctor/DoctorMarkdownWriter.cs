using CnnParity.Parity.Doctor;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Doctor;

/// <summary>doctor-report.md: GitHub-flavoured Markdown, the verdict on the first line.</summary>
public static class DoctorMarkdownWriter
{
    public const string FileName = "doctor-report.md";

    public static string Render(DoctorReport report) => MarkdownBlocks.Render(DoctorContent.Full(report));
}
