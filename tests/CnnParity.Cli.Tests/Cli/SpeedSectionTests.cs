using System.Text.Json.Nodes;
using CnnParity.Core;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.Data;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// The report's speed section from a real (tiny) run: every implementation timed in the same interleaved rounds,
/// NumPy included when python3-numpy is installed, the compute floor for this configuration and the goals.
/// Times are never asserted on: only that they were measured and how the ratios are derived from them.
/// </summary>
public sealed class SpeedSectionTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    /// <summary>The twin's rows: one LibTorch thread and every core.</summary>
    static string[] Twins(Dtype dtype) => [.. CnnParity.Torch.TorchRuntime.SpeedThreadCounts.Select(t => Workloads.TwinName(dtype, t))];

    static string[] Report(string outDir, params string[] more) => RealMnist.TinyReport(outDir, epochs: 1, test: 200, benchReps: 2, more);

    [SkippableFact]
    public void EveryImplementationIsTimedInTheSameRounds()
    {
        string outDir = Path.Combine(work.Path, "r");
        var result = CliProcess.Run(work.Path, Report(outDir));
        Assert.True(result.ExitCode == 0, result.ToString());
        var timings = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, JsonReportWriter.FileName)))!["timings"]!;

        var all = timings["speed"]!.AsArray().Select(r => r!).ToList();
        bool numPy = NumPyWorkload.Unavailable() is null;
        string[] numPyNames = numPy ? [NumPyWorkload.BatchedName, NumPyWorkload.NotebookName] : [];
        string[] trained = [Workloads.ScratchName, Workloads.ScratchFaithfulName, .. Twins(Dtype.Float64), .. Twins(Dtype.Float32)];
        // The epoch rows, then every test pass of the same rounds: the deployed model's (ONNX Runtime) only there.
        var rows = all.Where(r => (string?)r["work"] == "epoch (train 256 + test of 200)").ToList();
        var tests = all.Where(r => (string?)r["work"] == "test pass of 200").ToList();
        Assert.Equal([.. trained, .. numPyNames], rows.Select(r => (string?)r["implementation"]));
        Assert.Equal([.. trained, OnnxRuntimeWorkload.Name, .. numPyNames], tests.Select(r => (string?)r["implementation"]));
        Assert.Equal(all, [.. rows, .. tests]);
        Assert.Contains(tests, r => (double)r["ratioToFastest"]! == 1);
        Assert.All(all, r =>
        {
            Assert.Equal(2, (int)r["repetitions"]!);
            double min = (double)r["minSeconds"]!, median = (double)r["medianSeconds"]!, max = (double)r["maxSeconds"]!;
            Assert.True(0 < min && min <= median && median <= max, r.ToJsonString());
            double ratio = (double)r["ratioToFastest"]!, low = (double)r["roundRatioMin"]!, high = (double)r["roundRatioMax"]!;
            Assert.True(ratio >= 1 && low <= high && low > 0, r.ToJsonString());
        });
        Assert.Contains(rows, r => (double)r["ratioToFastest"]! == 1);

        // The floor for this configuration: 2 batches of 128 and 200 test images, K=4 on 26x26, at the rate measured here.
        var config = new ScratchConfig { NumKernels = 4, Grid = 26, TrainCount = 256, BatchSize = 128, TestCount = 200, Epochs = 1 };
        var floor = timings["computeFloor"]!;
        Assert.Equal(ComputeFloor.MultiplyAdds(config), (double)floor["multiplyAdds"]!);
        Assert.Equal(ComputeFloor.Threads(config.Threads), (int)floor["threads"]!);
        Assert.Equal((int)VectorWidths.Native, (int)floor["vectorBits"]!);
        double rate = (double)floor["multiplyAddsPerSecondPerThread"]!;
        Assert.True(rate > 0);
        Assert.Equal(ComputeFloor.MultiplyAdds(config) / (rate * ComputeFloor.Threads(config.Threads)), (double)floor["seconds"]!, 12);
        Assert.True((double)timings["scratchBookTrainingSeconds"]! > 0);

        // K=4 on 200 test images is not the configuration the goals were set for: shown, not judged.
        var goals = timings["speedGoals"]!.AsArray().Select(g => g!).ToList();
        Assert.Equal(numPy ? 4 : 3, goals.Count);
        Assert.All(goals, g => Assert.Null(g["met"]));
        // TorchSharp's goal is held against its faster thread count, and says which.
        var twinRow = rows.Where(r => Twins(Dtype.Float64).Contains((string?)r["implementation"])).MinBy(r => (double)r["medianSeconds"]!)!;
        var fastRow = rows.Single(r => (string?)r["implementation"] == Workloads.ScratchName);
        Assert.Equal((string?)twinRow["implementation"], (string?)goals[0]["against"]);
        Assert.Equal((double)twinRow["medianSeconds"]! / (double)fastRow["medianSeconds"]!, (double)goals[0]["measured"]!, 12);

        string md = File.ReadAllText(Path.Combine(outDir, MarkdownReportWriter.FileName));
        Assert.Contains("**Compute floor:**", md);
        Assert.Contains(numPy ? "NumPy (notebook: per-image test)" : "not available", md);
    }

    [SkippableFact]
    public void ASmallerNumPyTestPassIsTimedAgainstTheFastPathOnThatWork()
    {
        Skip.IfNot(NumPyWorkload.Unavailable() is null, "python3-numpy is not installed");
        string outDir = Path.Combine(work.Path, "r");
        var result = CliProcess.Run(work.Path, Report(outDir, "--numpy-test", "100"));
        Assert.True(result.ExitCode == 0, result.ToString());
        var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, JsonReportWriter.FileName)))!["timings"]!["speed"]!
            .AsArray().Select(r => ((string?)r!["implementation"], (string?)r["work"])).ToList();
        Assert.Equal(
        [
            (Workloads.ScratchName, "epoch (train 256 + test of 200)"), (Workloads.ScratchFaithfulName, "epoch (train 256 + test of 200)"),
            .. Twins(Dtype.Float64).Concat(Twins(Dtype.Float32)).Select(name => ((string?)name, (string?)"epoch (train 256 + test of 200)")),
            (Workloads.ScratchName, "epoch (train 256 + test of 100)"), (NumPyWorkload.BatchedName, "epoch (train 256 + test of 100)"),
            (NumPyWorkload.NotebookName, "epoch (train 256 + test of 100)"),
            (Workloads.ScratchName, "test pass of 200"), (Workloads.ScratchFaithfulName, "test pass of 200"),
            .. Twins(Dtype.Float64).Concat(Twins(Dtype.Float32)).Select(name => ((string?)name, (string?)"test pass of 200")),
            (OnnxRuntimeWorkload.Name, "test pass of 200"),
        ], rows);
    }
}
