namespace CnnParity.Testing.Rendering;

// A document as a short list of blocks: built once, rendered as Markdown and as HTML, so the two files cannot
// tell different stories. The parity report and a CnnParity.Testing comparison are both such documents.

internal abstract record Block;

/// <summary>The first line: PASS/FAIL and a title.</summary>
internal sealed record VerdictLine(string Verdict, string Title) : Block;

internal sealed record Heading(string Text) : Block;

/// <summary>A paragraph; <paramref name="Lead"/> is shown in bold before the text.</summary>
internal sealed record Paragraph(string Text, string? Lead = null) : Block;

internal sealed record Bullets(IReadOnlyList<Paragraph> Items) : Block;

/// <summary>A table; columns flagged in <paramref name="RightAligned"/> hold numbers.</summary>
internal sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<bool> RightAligned) : Block;

/// <summary>The verdict words; a FAIL cell is made to stand out in both renderings.</summary>
internal static class Verdicts
{
    public const string Pass = "PASS";
    public const string Fail = "FAIL";

    /// <summary>A verdict cell that fails: "FAIL", or "FAIL: " and who is to blame.</summary>
    public static bool IsFail(string cell) => cell == Fail || cell.StartsWith(Fail + ": ", StringComparison.Ordinal);
}
