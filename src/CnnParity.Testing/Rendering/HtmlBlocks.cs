using System.Net;
using System.Text;

namespace CnnParity.Testing.Rendering;

/// <summary>
/// Blocks as HTML: one self-contained page, no scripts, no fonts or styles from elsewhere, so it opens the same
/// from a CI artifact as on the machine that made it.
/// </summary>
internal static class HtmlBlocks
{
    /// <summary>The page up to and including the opening &lt;main&gt;.</summary>
    public static void AppendHead(StringBuilder html, string title) =>
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Enc(title)).Append("</title>\n")
            .Append("<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n<main>\n");

    public static void AppendFoot(StringBuilder html) => html.Append("</main>\n</body>\n</html>\n");

    /// <summary>A page of blocks; blocks of kinds it does not know are skipped.</summary>
    public static string Page(string title, IEnumerable<Block> blocks)
    {
        var html = new StringBuilder();
        AppendHead(html, title);
        foreach (var block in blocks) Append(html, block);
        AppendFoot(html);
        return html.ToString();
    }

    /// <summary>One block; false when the kind is not one of the common blocks (the caller draws it).</summary>
    public static bool Append(StringBuilder html, Block block)
    {
        switch (block)
        {
            case VerdictLine v:
                string cls = v.Verdict == Verdicts.Pass ? "pass" : "fail";
                html.Append($"<h1><span class=\"verdict {cls}\">{Enc(v.Verdict)}</span> {Enc(v.Title)}</h1>\n");
                return true;
            case Heading h:
                html.Append($"<h2 id=\"{Slug(h.Text)}\">").Append(Enc(h.Text)).Append("</h2>\n");
                return true;
            case Paragraph p:
                html.Append("<p>").Append(Inline(p)).Append("</p>\n");
                return true;
            case Bullets b:
                html.Append("<ul>\n");
                foreach (var item in b.Items) html.Append("<li>").Append(Inline(item)).Append("</li>\n");
                html.Append("</ul>\n");
                return true;
            case Table t:
                AppendTable(html, t);
                return true;
            default:
                return false;
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
                string cls = cell == Verdicts.Pass ? "pass" : Verdicts.IsFail(cell) ? "fail" : t.RightAligned[c] ? "num" : "";
                html.Append(cls.Length > 0 ? $"<td class=\"{cls}\">" : "<td>").Append(Enc(cell)).Append("</td>");
            }
            html.Append("</tr>\n");
        }
        html.Append("</tbody>\n</table></div>\n");
    }

    private static string Inline(Paragraph p) =>
        p.Lead is null ? Enc(p.Text) : $"<strong>{Enc(p.Lead)}</strong> {Enc(p.Text)}";

    public static string Enc(string s) => WebUtility.HtmlEncode(s);

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
