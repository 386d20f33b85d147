using System.Net;
using System.Text;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Plots;

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
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Enc($"{report.Verdict}: {ReportContent.Title}")).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");
        foreach (var block in ReportContent.Full(report, metrics))
            Append(html, block, report, metrics);
        html.Append("</main>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static void Append(StringBuilder html, Block block, ParityReport report, IReadOnlyList<ClassificationMetrics> metrics)
    {
        switch (block)
        {
            case VerdictLine v:
                string cls = v.Verdict == ReportVerdict.Pass ? "pass" : "fail";
                html.Append($"<h1><span class=\"verdict {cls}\">{Enc(v.Verdict)}</span> {Enc(v.Title)}</h1>\n");
                break;
            case Heading h:
                html.Append($"<h2 id=\"{Slug(h.Text)}\">").Append(Enc(h.Text)).Append("</h2>\n");
                break;
            case Paragraph p:
                html.Append("<p>").Append(Inline(p)).Append("</p>\n");
                break;
            case Bullets b:
                html.Append("<ul>\n");
                foreach (var item in b.Items) html.Append("<li>").Append(Inline(item)).Append("</li>\n");
                html.Append("</ul>\n");
                break;
            case Table t:
                AppendTable(html, t);
                break;
            case PlotSlot slot:
                AppendPlots(html, slot.Kind, report, metrics);
                break;
        }
    }

    private static void AppendTable(StringBuilder html, Table t)
    {
        html.Append("<div class=\"scroll\"><table>\n");
        if (t.Headers.Any(h => h.Length > 0))
        {
            html.Append("<thead><tr>");
            for (int c = 0; c < t.Headers.Count; c++)
                html.Append(t.RightAligned[c] ? "<th class=\"num\">" : "<th>").Append(Enc(t.Headers[c])).Append("</th>");
            html.Append("</tr></thead>\n");
        }
        html.Append("<tbody>\n");
        foreach (var row in t.Rows)
        {
            html.Append("<tr>");
            for (int c = 0; c < row.Count; c++)
            {
                string cell = row[c];
                string cls = cell == ReportVerdict.Pass ? "pass" : cell == ReportVerdict.Fail ? "fail" : t.RightAligned[c] ? "num" : "";
                html.Append(cls.Length > 0 ? $"<td class=\"{cls}\">" : "<td>").Append(Enc(cell)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
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

    private static string Inline(Paragraph p) =>
        p.Lead is null ? Enc(p.Text) : $"<strong>{Enc(p.Lead)}</strong> {Enc(p.Text)}";

    private static string Enc(string s) => WebUtility.HtmlEncode(s);

    /// <summary>A heading's anchor, so a section can be linked to: "ML.NET metrics (test set)" → "ml-net-metrics-test-set".</summary>
    private static string Slug(string text) =>
        string.Join('-', new string([.. text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : ' ')])
            .Split(' ', StringSplitOptions.RemoveEmptyEntries));

    private const string Css = """
        body { font-family: "DejaVu Sans", "Liberation Sans", Arial, Helvetica, sans-serif; color: #1f2328; margin: 0; background: #fff; }
        main { max-width: 1240px; margin: 0 auto; padding: 24px; }
        h1 { font-size: 1.6em; margin: 0 0 12px; }
        h2 { font-size: 1.25em; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; margin-top: 32px; }
        .verdict { display: inline-block; padding: 2px 12px; border-radius: 6px; color: #fff; }
        .verdict.pass { background: #1a7f37; }
        .verdict.fail { background: #cf222e; }
        .scroll { overflow-x: auto; }
        table { border-collapse: collapse; font-size: 0.9em; margin: 8px 0; }
        th, td { border: 1px solid #d0d7de; padding: 4px 10px; text-align: left; vertical-align: top; }
        th { background: #f6f8fa; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        td.num { white-space: nowrap; }
        td.pass { color: #1a7f37; font-weight: bold; }
        td.fail { color: #cf222e; font-weight: bold; }
        figure.plot { margin: 12px 0; }
        figure.plot svg { max-width: 100%; height: auto; }
        .plots { display: flex; flex-wrap: wrap; gap: 8px; }
        .plots figure.plot { margin: 0; }
        .note { color: #9a6700; }

        """;
}
