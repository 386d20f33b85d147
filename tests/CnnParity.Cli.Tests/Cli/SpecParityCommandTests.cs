using System.Text.Json;
using CnnParity.Cli.Commands;
using CnnParity.Core;
using CnnParity.Core.Tests.Data;
using CnnParity.Reports.Specs;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>`cnnparity parity --arch SPEC` and `--grid N --shard I/K`, and `report merge` of the shards.</summary>
public sealed class SpecParityCommandTests : IDisposable
{
    const string ExampleSpec = "conv(c=4,k=2,s=2) relu conv(c=8,k=3,p=1) tanh maxpool(k=3,s=2) flatten dense(32) tanh dense(10)";

    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    /// <summary>A spec of two convolutions (stride, padding), ReLU, tanh, max-pool and two dense layers with biases: every check passes, exit 0, the JSON names every layer and parameter.</summary>
    [SkippableFact]
    public void TheExampleSpecPassesEveryCheck()
    {
        string json = Path.Combine(work.Path, "arch.json");
        var result = CliProcess.Run(work.Path, "parity", "--data", RealMnist.Require(), "--arch", ExampleSpec,
            "--train", "256", "--batch", "32", "--test", "200", "--epochs", "2", "--json", json);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains($"PASS: {json}", result.StdOut);
        var report = SpecParityJson.Read(json);
        var spec = Assert.Single(report.Results);
        Assert.Equal(ExampleSpec, spec.Spec);
        foreach (string layer in new[] { "conv1", "relu1", "conv2", "tanh1", "maxpool1", "flatten", "dense1", "tanh2", "dense2", "loss" })
            foreach (var dtype in new[] { Dtype.Float64, Dtype.Float32 })
                Assert.Contains(spec.Forward, f => f.Tensor == layer && f.Dtype == dtype && f.Pass);
        foreach (string tensor in new[] { "conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias" })
            Assert.Equal(4, spec.Gradients.Count(g => g.Tensor == tensor && g.Pass)); // f64: three opinions, finite differences; f32: the truth; the first step
        Assert.Equal(2, spec.Lockstep.Count);
    }

    /// <summary>Two shards of a grid, then their merge: one report with every spec of the grid in index order.</summary>
    [SkippableFact]
    public void ShardsOfAGridMergeIntoOneReport()
    {
        string data = RealMnist.Require();
        string a = Path.Combine(work.Path, "a.json"), b = Path.Combine(work.Path, "b.json"), outDir = Path.Combine(work.Path, "merged");
        var first = CliProcess.Run(work.Path, "parity", "--data", data, "--grid", "4", "--seed", "5", "--shard", "1/2", "--json", a);
        var second = CliProcess.Run(work.Path, "parity", "--data", data, "--grid", "4", "--seed", "5", "--shard", "2/2", "--json", b);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal([0, 2], SpecParityJson.Read(a).Results.Select(r => r.Index!.Value));

        var merged = CliProcess.Run(work.Path, "report", "merge", a, b, "--out", outDir);

        Assert.True(merged.ExitCode == 0, merged.ToString());
        var report = SpecParityJson.Read(Path.Combine(outDir, ReportMergeCommand.JsonFile));
        Assert.Equal([0, 1, 2, 3], report.Results.Select(r => r.Index!.Value));
        string markdown = File.ReadAllText(Path.Combine(outDir, ReportMergeCommand.MarkdownFile));
        Assert.StartsWith("# PASS: CnnParity grid of random specs", markdown);
        foreach (var r in report.Results) Assert.Contains(r.Spec.Replace("_", "\\_"), markdown);

        // One shard alone is a grid with specs missing: FAIL, exit 1.
        var alone = CliProcess.Run(work.Path, "report", "merge", a, "--out", Path.Combine(work.Path, "alone"));
        Assert.Equal(1, alone.ExitCode);
        Assert.Contains("2 of the grid's specs are missing (indices 1, 3)", alone.StdOut);
    }

    [Fact]
    public void ParityRefusesABadSpecBeforeWritingAnything()
    {
        string json = Path.Combine(work.Path, "p.json");
        var result = CliProcess.Run(work.Path, "parity", "--arch", "conv(c=4,k=3) relu dense(10)", "--json", json);

        CliAssert.OneLineError(result, 2, "spec layer 3 'dense(10)': dense needs a vector");
        Assert.False(File.Exists(json));
    }

    public static TheoryData<string[], string> BadCombinations => new()
    {
        { ["--grid", "30", "--arch", "lenet5"], "--grid N draws its own specs" },
        { ["--shard", "1/2"], "--shard splits a random grid" },
        { ["--grid", "30", "--shard", "3/2"], "--shard must be I/N with 1 <= I <= N, got '3/2'" },
        { ["--arch", "lenet5", "--kernels", "8"], "--kernels belongs to ch10" },
        { ["--momentum", "0.5"], "--momentum applies to a spec's lockstep run" },
        { ["--arch", "lenet5", "--momentum", "1"], "--momentum must be a number in [0, 1), got '1'" },
        { ["--shuffle", "--arch", "ch10"], "--shuffle applies to a spec's lockstep run; ch10 takes its images in the notebook's order" },
        { ["--grid", "30", "--shuffle"], "--shuffle applies to a spec's lockstep run; --grid N trains none" },
    };

    [Theory]
    [MemberData(nameof(BadCombinations))]
    public void BadOptionCombinationsAreOneLineAndExitTwo(string[] options, string phrase)
    {
        string json = Path.Combine(work.Path, "p.json");
        var result = CliProcess.Run(work.Path, ["parity", "--json", json, .. options]);

        CliAssert.OneLineError(result, 2, phrase);
        Assert.False(File.Exists(json));
    }

    [Fact]
    public void MergeRefusesFilesThatAreNotSpecParityOrDoNotBelongTogether()
    {
        string notOurs = Path.Combine(work.Path, "other.json");
        File.WriteAllText(notOurs, JsonSerializer.Serialize(new { schemaVersion = 1, verdict = "PASS" }));
        string outDir = Path.Combine(work.Path, "out");

        var result = CliProcess.Run(work.Path, "report", "merge", notOurs, "--out", outDir);

        CliAssert.OneLineError(result, 2, $"'{notOurs}' is not a readable spec parity file: it is not a spec parity file");
        Assert.False(File.Exists(Path.Combine(outDir, ReportMergeCommand.MarkdownFile)));
    }
}
