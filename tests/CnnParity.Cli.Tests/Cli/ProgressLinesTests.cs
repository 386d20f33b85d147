using System.Text.RegularExpressions;
using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// With stderr not a terminal (a pipe, as in CI), progress is one whole line per step: numbered in order, never two
/// steps on one line, no carriage returns that a log would show as steps run together.
/// </summary>
public sealed partial class ProgressLinesTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public void BenchPrintsOneLinePerEpochTimed()
    {
        var result = CliProcess.Run(work.Path, "bench", "--data", RealMnist.Require(), "--kernels", "4", "--test", "100", "--reps", "1", "--no-numpy");
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.DoesNotContain('\r', result.StdErr);

        var steps = result.ErrorLines.Select(l => StepLine().Match(l)).Where(m => m.Success && m.Groups["title"].Value == "timing the epochs").ToList();
        int total = int.Parse(steps[0].Groups["total"].Value, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Enumerable.Range(1, total), steps.Select(m => int.Parse(m.Groups["done"].Value, System.Globalization.CultureInfo.InvariantCulture)));
        Assert.All(steps, m => Assert.Matches(@"^(warm-up|round 1): \S", m.Groups["detail"].Value));
        // Each step names exactly one implementation: two steps run together would name two.
        Assert.All(steps, m => Assert.Single(Regex.Matches(m.Value, @"(warm-up|round \d+):")));
        Assert.Contains(result.OutputLines, l => l.StartsWith("scratch (fast, f64)", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"^  (?<title>[^:]+): (?<done>\d+)/(?<total>\d+)(  (?<detail>.*))?$")]
    private static partial Regex StepLine();
}
