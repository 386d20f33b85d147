using System.Text.RegularExpressions;
using CnnParity.Core.Tests.Data;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// One seed, one result: parity-report.json is byte-identical, apart from the "timings" section (wall clock) and
/// environment.threads (which states --threads), between two runs with the same settings and between
/// --threads 1, 2 and 4. That covers both implementations: the from-scratch code splits only whole outputs
/// across threads, and TorchSharp is pinned (see TorchRuntime.Pin).
/// </summary>
public sealed partial class DeterminismTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public void SameSeedSameJsonAcrossRunsAndThreadCounts()
    {
        RealMnist.Require();
        string[] runs = ["threads-1", "threads-2", "threads-2-again", "threads-4"];
        // All four at once: the results must not depend on what else the machine is doing either.
        var processes = runs.Select(name => CliProcess.Start(work.Path,
            RealMnist.TinyReport(Path.Combine(work.Path, name), "--threads", name.Split('-')[1]))).ToList();
        var results = processes.Select(p => p.WaitForExit()).ToList();
        processes.ForEach(p => p.Dispose());
        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.ToString()));

        var json = runs.Select(name => File.ReadAllText(Path.Combine(work.Path, name, JsonReportWriter.FileName))).ToList();
        string reference = WithoutVolatile(json[1]);
        for (int i = 0; i < runs.Length; i++)
        {
            string other = WithoutVolatile(json[i]);
            Assert.True(reference == other, $"{runs[i]} differs from {runs[1]}: {FirstDifference(reference, other)}");
        }
        // What was excluded really is what differs: the threads each run was given.
        for (int i = 0; i < runs.Length; i++)
            Assert.Contains($"\"threads\": {runs[i].Split('-')[1]},", json[i]);
        // The report names the build that made it, as `cnnparity --version` does (VersionTests).
        Assert.Contains($"\"cnnParity\": \"{ReportEnvironmentProbe.CnnParityVersion}\",", json[0]);
    }

    /// <summary>The text before the "timings" section, with environment.threads blanked.</summary>
    static string WithoutVolatile(string json)
    {
        int timings = json.IndexOf("\n  \"timings\": ", StringComparison.Ordinal);
        Assert.True(timings > 0, "no top-level \"timings\" section");
        return ThreadsField().Replace(json[..timings], "\"threads\": _,");
    }

    static string FirstDifference(string a, string b)
    {
        string[] x = a.Split('\n'), y = b.Split('\n');
        for (int i = 0; i < Math.Min(x.Length, y.Length); i++)
            if (x[i] != y[i])
                return $"line {i + 1}:\n  {x[i].Trim()}\n  {y[i].Trim()}";
        return $"{x.Length} lines against {y.Length}";
    }

    [GeneratedRegex(@"(?<=^    )""threads"": \d+,$", RegexOptions.Multiline)]
    private static partial Regex ThreadsField();
}
