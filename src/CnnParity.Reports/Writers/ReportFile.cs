namespace CnnParity.Reports.Writers;

/// <summary>One rendered report file, fully in memory.</summary>
public sealed record ReportFile(string FileName, string Content);
