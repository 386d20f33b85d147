using CnnParity.Core.Engines;
using CnnParity.Testing;
using CnnParity.Core;
using CnnParity.Core.Tests.Data;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;
using CnnParity.Reports.Specs;

namespace CnnParity.Reports.Tests;

/// <summary>The spec parity file: read back as written, verdicts from the results, shards merged or refused.</summary>
public sealed class SpecParityJsonTests : IDisposable
{
    readonly TempFolder _work = new();

    public void Dispose() => _work.Dispose();

    static readonly SpecParitySettings Settings = SpecParitySettings.Grid(seed: 3, threads: 2);

    static SpecParityResult Result(int index, bool pass = true, double maxAbs = 1.5e-17) => new(index, $"conv(c={index + 1},k=3) flatten dense(10)",
        [SyntheticReport.Check("forward", "conv1", Dtype.Float64, "first batch", maxAbs, pass ? 0.01 : 2e3, Tolerances.SpecForwardFloat64.Name)],
        [SyntheticReport.Check("gradient", "conv1.weight", Dtype.Float32, "first batch", 1e-9, 0.2, RoundingBound.Name, 9)],
        [new LockstepEpoch(0, 2.25, 2.2500000000000004, 0.5, 0.5, 3e-15)], 1e-9, null);

    string Write(SpecParityReport report, string name)
    {
        string path = Path.Combine(_work.Path, name);
        File.WriteAllText(path, SpecParityJson.Render(report));
        return path;
    }

    [Fact]
    public void AFileReadsBackAsTheReportThatWasWritten()
    {
        var report = new SpecParityReport(Settings, new GridSelection(4, 3, [2], 2), [Result(1), Result(3, maxAbs: double.PositiveInfinity)]);
        string path = Write(report, "r.json");

        var back = SpecParityJson.Read(path);

        Assert.Equal(SpecParityJson.Render(report), SpecParityJson.Render(back));
        Assert.Equal(double.PositiveInfinity, back.Results[1].Forward[0].Sides[0].MaxAbs);
        Assert.Equal(report.Settings, back.Settings);
        Assert.Equal(2.2500000000000004, back.Results[0].Lockstep[0].TwinLoss);
    }

    /// <summary>A shuffled lockstep run says so and reads back shuffled; an unshuffled one's file has no "shuffle" key.</summary>
    [Fact]
    public void AShuffledRunReadsBackShuffledAndAnUnshuffledFileStaysAsItWas()
    {
        var shuffled = new SpecParityReport(Settings with { Shuffle = true }, null, [Result(1)]);
        var inOrder = new SpecParityReport(Settings, null, [Result(1)]);

        Assert.True(SpecParityJson.Read(Write(shuffled, "s.json")).Settings.Shuffle);
        Assert.Contains("\"shuffle\": true", SpecParityJson.Render(shuffled));
        Assert.False(SpecParityJson.Read(Write(inOrder, "o.json")).Settings.Shuffle);
        Assert.DoesNotContain("shuffle", SpecParityJson.Render(inOrder));
    }

    /// <summary>
    /// A lockstep run's optimizer reads back as written and shows in the Markdown; SGD without weight decay writes no
    /// "optimizer" key, so the files of runs before Adam stay as they were.
    /// </summary>
    [Fact]
    public void TheOptimizerReadsBackAndAnSgdFileStaysAsItWas()
    {
        var adam = Settings with { LockstepEpochs = 2, TrainCount = 64, Momentum = 0, LearningRate = 0.001, Optimizer = new(OptimizerKind.Adam, 0.01, Beta2: 0.99) };
        var report = new SpecParityReport(adam, null, [Result(1)]);

        Assert.Equal(adam, SpecParityJson.Read(Write(report, "a.json")).Settings);
        Assert.Contains("Lockstep: 2 epochs on 64 images, adam (β1 0.9, β2 0.99, eps 1E-08), weight decay 0.01 lr 0.001", SpecParityMarkdown.Render(report));
        Assert.DoesNotContain("optimizer", SpecParityJson.Render(new SpecParityReport(Settings, null, [Result(1)])));
        // A first Adam step's row names its tolerance, derived from the run's lr and eps: the file defines it.
        var step = Result(1) with { Gradients = [SyntheticReport.Check("step", "conv1.weight", Dtype.Float64, FirstStepParity.Scope, 1e-16, 1e-7, Tolerances.FirstAdamStepFloat64Name)] };
        var defined = Assert.Single(SpecParityJson.UsedTolerances(new SpecParityReport(adam, null, [step])), t => t.Name == Tolerances.FirstAdamStepFloat64Name);
        Assert.Equal(Tolerances.FirstAdamStepFloat64(Tolerances.Spec, 0.001, 1e-8), defined);
        Assert.Equal(OptimizerSettings.Sgd, SpecParityJson.Read(Write(new SpecParityReport(Settings, null, [Result(1)]), "s.json")).Settings.Optimizer);
    }

    [Fact]
    public void AFailedCheckOrAMissingSpecFailsTheReport()
    {
        var grid = new GridSelection(3, 3, [1], 1);
        Assert.True(new SpecParityReport(Settings, grid, [Result(0), Result(1), Result(2)]).Passed);

        var failed = new SpecParityReport(Settings, grid, [Result(0), Result(1, pass: false), Result(2)]);
        Assert.Equal("FAIL", failed.Verdict);
        Assert.StartsWith("spec 1 'conv(c=2,k=3) flatten dense(10)': engine conv1 (f64, first batch): ", Assert.Single(failed.Reasons));

        var missing = new SpecParityReport(Settings, grid, [Result(0), Result(2)]);
        Assert.Equal("1 of the grid's specs are missing (indices 1)", Assert.Single(missing.Reasons));
    }

    [Fact]
    public void ShardsMergeInIndexOrderAndTwiceTheSameShardIsRefused()
    {
        var one = new SpecParityReport(Settings, new GridSelection(4, 3, [1], 2), [Result(0), Result(2)]);
        var two = new SpecParityReport(Settings, new GridSelection(4, 3, [2], 2), [Result(1), Result(3)]);

        var merged = GridMerge.Merge([("two", two), ("one", one)]);

        Assert.True(merged.Passed);
        Assert.Equal([0, 1, 2, 3], merged.Results.Select(r => r.Index!.Value));
        Assert.Equal("all", merged.Grid!.ShardText);
        var twice = Assert.Throws<CnnParityException>(() => GridMerge.Merge([("a", one), ("b", one)]));
        Assert.Equal("shard 1/2 is in both 'a' and 'b'", twice.Message);
        var otherSeed = one with { Grid = one.Grid! with { Seed = 4 } };
        Assert.Contains("is from another grid", Assert.Throws<CnnParityException>(() => GridMerge.Merge([("a", one), ("b", otherSeed)])).Message);
        var otherSettings = two with { Settings = Settings with { Batch = 16 } };
        Assert.Contains("was run with other settings", Assert.Throws<CnnParityException>(() => GridMerge.Merge([("a", one), ("b", otherSettings)])).Message);
    }

    [Fact]
    public void TheMarkdownHasOneRowPerSpecAndSaysWhyItFails()
    {
        var report = new SpecParityReport(Settings, new GridSelection(2, 3, [1], 1), [Result(0), Result(1, pass: false)]);

        string md = SpecParityMarkdown.Render(report);

        Assert.StartsWith("# FAIL: CnnParity grid of random specs\n", md);
        Assert.Contains("| 0 | conv(c=1,k=3) flatten dense(10) | PASS |", md);
        Assert.Contains("| 1 | conv(c=2,k=3) flatten dense(10) | **FAIL** |", md);
        Assert.Contains("## Why it fails", md);
        Assert.Contains("1 of 2 specs passed, 1 failed.", md);
    }
}
