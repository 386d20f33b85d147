using System.Text;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Plots;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>
/// parity-report.html: the Markdown report's content as HTML with the plots inlined as SVG. One file, no
/// scripts, no fonts or styles from elsewhere: it opens the same from a CI artifact as on the machine that made it.
/// </summary>
public static class HtmlReportWriter
{
    public const string FileName = "parity-report.html";

    public static string Render(ParityReport report, IReadOnlyList<ClassificationMetrics> metrics)
    {
        var html = new StringBuilder();
        HtmlBlocks.AppendHead(html, $"{report.Verdict}: {ReportContent.Title}");
        foreach (var block in ReportContent.Full(report, metrics))
            if (!HtmlBlocks.Append(html, block) && block is PlotSlot slot)
                AppendPlots(html, slot.Kind, report, metrics);
        HtmlBlocks.AppendFoot(html);
        return html.ToString();
    }

    /// <summary>
    /// A plot that cannot be drawn (a missing native library, say) is a broken picture, not a broken report:
    /// it is replaced by a visible note and the numbers in the tables still stand.
    /// </summary>
    private static void AppendPlots(StringBuilder html, PlotKind kind, ParityReport report, IReadOnlyList<ClassificationMetrics> metrics)
    {
        IReadOnlyList<string> svgs;
        try
        {
            svgs = ReportPlots.For(kind, report, metrics);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            html.Append($"<p class=\"note\">Plot ({Enc(kind.ToString())}) could not be drawn: {Enc(e.GetBaseException().Message)}</p>\n");
            return;
        }
        if (svgs.Count == 0) return;
        html.Append(svgs.Count > 1 ? "<div class=\"plots\">\n" : "");
        foreach (var svg in svgs) html.Append("<figure class=\"plot\">\n").Append(svg).Append("\n</figure>\n");
        html.Append(svgs.Count > 1 ? "</div>\n" : "");
    }

    private static string Enc(string s) => HtmlBlocks.Enc(s);
}
