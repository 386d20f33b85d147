using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CnnParity.Core.Tests.Data;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// lr = 1e6 blows the chapter-10 engine up within the first epoch (its softmax, the notebook's, has no max shift); the
/// twin's log-softmax holds until lr = 1e308 overflows its loss in the second. The run must stop there and say where and
/// why (exit 1), and no NaN may ever be printed as an accuracy, on stdout or in a report.
/// </summary>
public sealed partial class DivergenceTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    [SkippableTheory]
    [InlineData("scratch", "book", "1e6", 0, "from-scratch engine (book rule, f64): diverged at epoch 0: ")]
    [InlineData("scratch", "corrected", "1e6", 0, "from-scratch engine (f64): diverged at epoch 0: ")]
    [InlineData("twin", "corrected", "1e308", 1, "TorchSharp twin (f64): diverged at epoch 1: ")]
    public void TrainStopsWithOneLineAndExitOne(string impl, string mode, string lr, int epoch, string where)
    {
        string metrics = Path.Combine(work.Path, "metrics.json");
        var result = CliProcess.Run(work.Path, "train", "--data", RealMnist.Require(), "--impl", impl, "--mode", mode, "--lr", lr,
            "--train", "256", "--batch", "128", "--epochs", "3", "--test", "100", "--metrics-out", metrics);

        // stderr is not a terminal here: the epochs' progress lines come first, then the one line that says why.
        var progress = result.ErrorLines.Take(result.ErrorLines.Length - 1).ToList();
        Assert.All(progress, l => Assert.StartsWith(l.StartsWith(' ') ? "  training " : "training ", l));
        CliAssert.OneLineError(result with { StdErr = result.ErrorLines[^1] + "\n" }, 1, where, "training stopped");
        Assert.Matches(WhyPattern(), result.ErrorLines[^1]);
        Assert.DoesNotMatch(NaNWord(), result.StdOut);
        // The metrics are still written: the epochs before the blow-up and where it happened.
        var json = JsonNode.Parse(File.ReadAllText(metrics))!;
        Assert.StartsWith($"diverged at epoch {epoch}", (string?)json["diverged"]);
        Assert.Equal(epoch, json["epochs"]!.AsArray().Count);
    }

    [SkippableFact]
    public void ReportFailsAndSaysWhereWithoutPrintingNaN()
    {
        string outDir = Path.Combine(work.Path, "reports");
        var result = CliProcess.Run(work.Path, RealMnist.TinyReport(outDir, "--lr", "1e6"));

        Assert.True(result.ExitCode == 1, result.ToString());
        CliAssert.NoStackTrace(result);
        Assert.StartsWith("FAIL: ", result.OutputLines[0]);
        Assert.Contains(result.OutputLines, l => l.Contains("diverged at epoch 0", StringComparison.Ordinal));

        string jsonText = File.ReadAllText(Path.Combine(outDir, JsonReportWriter.FileName));
        var json = JsonNode.Parse(jsonText)!;
        Assert.Equal("FAIL", (string?)json["verdict"]);
        Assert.Contains(json["reasons"]!.AsArray(), r => ((string?)r)!.Contains("diverged", StringComparison.Ordinal));
        var diverged = json["training"]!.AsArray().Where(t => t!["diverged"] is not null).ToList();
        Assert.NotEmpty(diverged);
        Assert.All(diverged, t => Assert.Matches(WhyPattern(), (string?)t!["diverged"]));
        // A diverged run has no accuracy for the epoch it blew up in: the curves stop before it.
        foreach (var run in diverged)
            foreach (var key in new[] { "testAcc", "trainAcc" })
                Assert.All(run![key]!.AsArray(), v => Assert.True(v is null || double.IsFinite((double)v), $"{key}: {v}"));

        // NaN may appear only inside the sentence that explains the divergence, never as a number.
        string markdown = File.ReadAllText(Path.Combine(outDir, MarkdownReportWriter.FileName));
        foreach (var (name, text) in new[] { ("json", jsonText), ("markdown", markdown), ("stdout", result.StdOut) })
            foreach (string line in text.Split('\n').Where(l => NaNWord().IsMatch(l)))
                Assert.True(line.Contains("diverged", StringComparison.Ordinal), $"{name}: NaN outside a divergence reason: {line}");
    }

    /// <summary>Where (the epoch) and why (which tensor or the loss, and what it holds).</summary>
    [GeneratedRegex(@"diverged at epoch \d+: (.+ holds (NaN|infinity)|the training loss is .+); training stopped")]
    private static partial Regex WhyPattern();

    [GeneratedRegex(@"\bnan\b", RegexOptions.IgnoreCase)]
    private static partial Regex NaNWord();
}
