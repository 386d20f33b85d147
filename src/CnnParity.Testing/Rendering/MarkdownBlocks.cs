using System.Text;

namespace CnnParity.Testing.Rendering;

/// <summary>Blocks as GitHub-flavoured Markdown: verdict as the first heading, tables with numbers right-aligned.</summary>
internal static class MarkdownBlocks
{
    /// <summary>The blocks, one blank line apart; blocks of kinds it does not know (a report's plots) are skipped.</summary>
    public static string Render(IEnumerable<Block> blocks)
    {
        var md = new StringBuilder();
        foreach (var block in blocks)
        {
            switch (block)
            {
                case VerdictLine v:
                    md.Append("# ").Append(v.Verdict).Append(": ").Append(Escape(v.Title)).Append('\n');
                    break;
                case Heading h:
                    md.Append("## ").Append(Escape(h.Text)).Append('\n');
                    break;
                case Paragraph p:
                    md.Append(Inline(p)).Append('\n');
                    break;
                case Bullets b:
                    foreach (var item in b.Items) md.Append("- ").Append(Inline(item)).Append('\n');
                    break;
                case Table t:
                    AppendTable(md, t);
                    break;
                default:
                    continue;
            }
            md.Append('\n');
        }
        return md.ToString().TrimEnd('\n') + "\n";
    }

    private static void AppendTable(StringBuilder md, Table t)
    {
        md.Append('|');
        foreach (var h in t.Headers) md.Append(' ').Append(Escape(h)).Append(" |");
        md.Append("\n|");
        foreach (bool right in t.RightAligned) md.Append(right ? " ---: |" : " --- |");
        md.Append('\n');
        foreach (var row in t.Rows)
        {
            md.Append('|');
            // A failed check in bold, so it stands out in a column of PASS.
            foreach (var cell in row)
                md.Append(' ').Append(Verdicts.IsFail(cell) ? "**FAIL**" + Escape(cell[Verdicts.Fail.Length..]) : Escape(cell)).Append(" |");
            md.Append('\n');
        }
    }

    private static string Inline(Paragraph p) =>
        p.Lead is null ? Escape(p.Text) : $"**{Escape(p.Lead)}** {Escape(p.Text)}";

    /// <summary>Text from a run (model names, reasons) must not open tables, emphasis or HTML.</summary>
    public static string Escape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in s)
        {
            if (c is '|' or '*' or '_' or '`' or '<' or '>' or '[' or ']' or '\\') sb.Append('\\');
            sb.Append(c is '\n' or '\r' ? ' ' : c);
        }
        return sb.ToString();
    }
}
