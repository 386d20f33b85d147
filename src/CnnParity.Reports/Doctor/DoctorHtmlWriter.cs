using CnnParity.Parity.Doctor;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Doctor;

/// <summary>doctor-report.html: the Markdown report's content as one self-contained page.</summary>
public static class DoctorHtmlWriter
{
    public const string FileName = "doctor-report.html";

    public static string Render(DoctorReport report) => HtmlBlocks.Page($"{report.Verdict}: {DoctorContent.Title}", DoctorContent.Full(report));
}
