using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// A report folder that already holds a report, as left by an earlier run. A run that fails, diverges before
/// writing, or is interrupted must leave these bytes exactly as they were, and leave no temporary file beside them.
/// </summary>
internal sealed class PreviousReport
{
    public static readonly string[] FileNames = [MarkdownReportWriter.FileName, JsonReportWriter.FileName, HtmlReportWriter.FileName];

    readonly Dictionary<string, byte[]> bytes = [];

    public string Folder { get; }

    public PreviousReport(string folder)
    {
        Folder = folder;
        Directory.CreateDirectory(folder);
        foreach (string name in FileNames)
        {
            // Distinct per file and per run, so a rename of the wrong file or a rewrite with equal content would show.
            bytes[name] = System.Text.Encoding.UTF8.GetBytes($"previous {name} {Guid.NewGuid():N}\n");
            File.WriteAllBytes(Path.Combine(folder, name), bytes[name]);
        }
    }

    public void AssertUntouched(CliResult because)
    {
        foreach (var (name, expected) in bytes)
            Assert.True(expected.AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(Folder, name))),
                $"{name} in {Folder} was changed\n{because}");
        AssertNothingElse(Folder, FileNames, because);
    }

    /// <summary>The folder holds exactly <paramref name="expected"/>: no temporary or partial file was left.</summary>
    public static void AssertNothingElse(string folder, IEnumerable<string> expected, CliResult because)
    {
        var present = Directory.EnumerateFileSystemEntries(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToArray();
        Assert.True(present.SequenceEqual(expected.Order(StringComparer.Ordinal)),
            $"{folder} holds {string.Join(", ", present)}\n{because}");
    }
}

internal static class CliAssert
{
    /// <summary>
    /// The CLI's contract for a failure: the exit code, and exactly one line on stderr, "cnnparity: ...", that names
    /// the problem; no stack trace.
    /// </summary>
    public static void OneLineError(CliResult result, int exitCode, params string[] phrases)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}\n{result}");
        Assert.True(result.ErrorLines.Length == 1, $"expected one line on stderr\n{result}");
        string line = result.ErrorLines[0];
        Assert.StartsWith("cnnparity: ", line);
        foreach (string phrase in phrases)
            Assert.True(line.Contains(phrase, StringComparison.Ordinal), $"'{phrase}' missing from: {line}");
        NoStackTrace(result);
    }

    public static void NoStackTrace(CliResult result)
    {
        foreach (string line in result.ErrorLines.Concat(result.OutputLines))
        {
            Assert.False(line.StartsWith("   at ", StringComparison.Ordinal), $"stack trace\n{result}");
            Assert.DoesNotContain("Unhandled exception", line);
        }
    }
}
