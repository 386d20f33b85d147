namespace CnnParity.Core.Data;

/// <summary>
/// An IDX file that cannot be read: missing, unreadable, not gzip, or not the IDX layout the header
/// promises. The message is one line, <c>&lt;file name&gt;: &lt;problem&gt;</c>, so the CLI can print it as is.
/// </summary>
public sealed class IdxFormatException : CnnParityException
{
    /// <summary>The path as given to the reader.</summary>
    public string FilePath { get; }

    /// <summary>The problem without the file name, e.g. <c>truncated payload: ...</c>.</summary>
    public string Problem { get; }

    public IdxFormatException(string filePath, string problem, Exception? inner = null)
        : base($"{System.IO.Path.GetFileName(filePath)}: {OneLine(problem)}", 2, inner)
    {
        FilePath = filePath;
        Problem = OneLine(problem);
    }

    // Exception messages from the runtime can span lines; the CLI contract is one line.
    internal static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
