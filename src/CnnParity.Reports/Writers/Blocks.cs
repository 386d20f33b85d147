namespace CnnParity.Reports.Writers;

// The report as a short list of blocks: built once (ReportContent), rendered twice (Markdown, HTML),
// so the two files cannot tell different stories.

internal abstract record Block;

/// <summary>The first line: PASS/FAIL and a title.</summary>
internal sealed record VerdictLine(string Verdict, string Title) : Block;

internal sealed record Heading(string Text) : Block;

/// <summary>A paragraph; <paramref name="Lead"/> is shown in bold before the text.</summary>
internal sealed record Paragraph(string Text, string? Lead = null) : Block;

internal sealed record Bullets(IReadOnlyList<Paragraph> Items) : Block;

/// <summary>A table; columns flagged in <paramref name="RightAligned"/> hold numbers.</summary>
internal sealed record Table(IReadOnlyList<string> Headers, IReadOnlyList<IReadOnlyList<string>> Rows, IReadOnlyList<bool> RightAligned) : Block;

/// <summary>Where a plot belongs; only the HTML writer draws it.</summary>
internal sealed record PlotSlot(PlotKind Kind) : Block;

internal enum PlotKind { Accuracy, LockstepDrift, ForwardError, Speed, Confusion }
