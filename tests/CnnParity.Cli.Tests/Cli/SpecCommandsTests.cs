using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CnnParity.Core.Architecture;
using CnnParity.Core.Tests.Data;
using CnnParity.Onnx;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Model;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// `train`, `report` and `bench` with `--arch SPEC`: tiny real runs of a small spec (every layer kind that trains
/// differently: a strided convolution, ReLU, max-pool, dropout, tanh), the bad specs and the options each side refuses.
/// Times are never asserted on.
/// </summary>
public sealed partial class SpecCommandsTests : IDisposable
{
    const string Small = "conv(c=4,k=3,s=2) relu maxpool(k=2) dropout(p=0.25) flatten dense(24) tanh dense(10)";

    static readonly ArchitectureSpec SmallSpec = ArchitectureSpec.Parse(Small);

    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    static string[] Tiny(string command, params string[] more) =>
        [command, "--data", RealMnist.Require(), "--arch", Small, "--train", "96", "--batch", "32", "--test", "100", "--epochs", "2", .. more];

    [SkippableFact]
    public void TrainPrintsLossAndAccuraciesPerEpochAndSavesTheWeightsByName()
    {
        string weights = Path.Combine(work.Path, "w.npz"), metrics = Path.Combine(work.Path, "m.json");

        var scratch = CliProcess.Run(work.Path, Tiny("train", "--save", weights, "--metrics-out", metrics));
        var twin = CliProcess.Run(work.Path, Tiny("train", "--impl", "twin"));

        Assert.True(scratch.ExitCode == 0, scratch.ToString());
        Assert.True(twin.ExitCode == 0, twin.ToString());
        var engineLines = scratch.OutputLines.Select(Parse).ToList();
        var twinLines = twin.OutputLines.Select(Parse).ToList();
        Assert.Equal([0, 1], engineLines.Select(l => l.Epoch));
        // The twin trains the engine's run (same seed, same masks): the same accuracies, the same loss to 6 decimals.
        Assert.Equal(engineLines.Select(l => (l.Epoch, l.TestAcc, l.TrainAcc)), twinLines.Select(l => (l.Epoch, l.TestAcc, l.TrainAcc)));
        Assert.All(engineLines.Zip(twinLines), p => Assert.Equal(p.First.Loss, p.Second.Loss, 1e-6));
        Assert.True(engineLines[1].Loss < engineLines[0].Loss, scratch.ToString());

        // stderr is not a terminal here: one plain line per epoch, with its times, never a bar.
        var epochs = scratch.ErrorLines.Where(l => l.StartsWith("  ", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, epochs.Count);
        Assert.All(epochs, l => Assert.Matches(@"epoch \d/2: 1/1  \d+\.\d s training, \d+\.\d s test$", l));
        Assert.DoesNotContain('\r', scratch.StdErr);

        var saved = WeightsFile.Load(weights, SmallSpec);
        Assert.Equal(SmallSpec.Parameters.Select(p => p.Name), saved.Keys);
        var json = JsonNode.Parse(File.ReadAllText(metrics))!;
        Assert.Equal(Small, (string?)json["config"]!["spec"]);
        Assert.Equal(0.9, (double)json["config"]!["momentum"]!);
        Assert.Equal(scratch.OutputLines, json["epochs"]!.AsArray().Select(e => (string?)e!["log"]));

        // The saved weights are what export deploys.
        string onnx = Path.Combine(work.Path, "m.onnx");
        var export = CliProcess.Run(work.Path, "export", "--arch", Small, "--weights", weights, "--onnx", onnx);
        Assert.True(export.ExitCode == 0, export.ToString());
    }

    /// <summary>
    /// --shuffle: LeNet-5 (ReLU) on 640 images reshuffled each epoch runs, is another run than file order, and the twin
    /// alone takes the same batches (the same accuracies, the loss to the printed digits); the metrics say it was shuffled.
    /// </summary>
    [SkippableFact]
    public void TrainWithShuffleRunsAndTheTwinTakesTheSameBatches()
    {
        string metrics = Path.Combine(work.Path, "m.json");
        string[] run = ["train", "--data", RealMnist.Require(), "--arch", "lenet5-relu", "--train", "640", "--epochs", "1", "--batch", "64", "--test", "100"];

        var shuffled = CliProcess.Run(work.Path, [.. run, "--shuffle", "--metrics-out", metrics]);
        var twin = CliProcess.Run(work.Path, [.. run, "--shuffle", "--impl", "twin"]);
        var inOrder = CliProcess.Run(work.Path, run);

        Assert.True(shuffled.ExitCode == 0, shuffled.ToString());
        Assert.True(twin.ExitCode == 0 && inOrder.ExitCode == 0, twin + "\n" + inOrder);
        var engine = Parse(Assert.Single(shuffled.OutputLines));
        var twinLine = Parse(Assert.Single(twin.OutputLines));
        Assert.Equal((engine.TestAcc, engine.TrainAcc), (twinLine.TestAcc, twinLine.TrainAcc));
        Assert.Equal(engine.Loss, twinLine.Loss, 1e-6);
        Assert.NotEqual(engine.Loss, Parse(Assert.Single(inOrder.OutputLines)).Loss);
        Assert.True((bool)JsonNode.Parse(File.ReadAllText(metrics))!["config"]!["shuffle"]!);
    }

    [SkippableFact]
    public void AFloat32RunAndAnotherMomentumTrainAnotherModel()
    {
        var f64 = CliProcess.Run(work.Path, Tiny("train"));
        var f32 = CliProcess.Run(work.Path, Tiny("train", "--dtype", "f32"));
        var plain = CliProcess.Run(work.Path, Tiny("train", "--momentum", "0"));

        Assert.True(f32.ExitCode == 0 && plain.ExitCode == 0, f32 + "\n" + plain);
        Assert.NotEqual(f64.OutputLines, plain.OutputLines);
        // float32 rounds differently: its loss differs from float64's in the last printed digits at most.
        Assert.All(f64.OutputLines.Select(Parse).Zip(f32.OutputLines.Select(Parse)), p => Assert.Equal(p.First.Loss, p.Second.Loss, 1e-4));
    }

    [SkippableFact]
    public void ReportOfASpecNamesItsLayersAndParametersAndPasses()
    {
        string outDir = Path.Combine(work.Path, "r");
        var result = CliProcess.Run(work.Path, Tiny("report", "--out", outDir, "--bench-reps", "1"));

        Assert.True(result.ExitCode == 0, result.ToString());
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, JsonReportWriter.FileName)))!;
        Assert.Equal(ParityReport.SchemaVersion, (int)json["schemaVersion"]!);
        Assert.Equal("PASS", (string?)json["verdict"]);
        var configuration = json["configuration"]!;
        Assert.Equal(Small, (string?)configuration["arch"]);
        Assert.Equal(Small, (string?)configuration["spec"]);
        Assert.Null(configuration["kernels"]);
        Assert.Equal(0.9, (double)configuration["momentum"]!);
        Assert.False((bool)configuration["shuffle"]!);

        var forward = json["forward"]!.AsArray().Select(f => ((string?)f!["tensor"], (string?)f["dtype"])).ToHashSet();
        foreach (var layer in SmallSpec.Layers.Select(l => l.Name).Append("loss"))
            foreach (string dtype in new[] { "f64", "f32" })
                Assert.Contains((layer, dtype), forward);
        var gradients = json["gradients"]!.AsArray().Select(g => (string?)g!["tensor"]).ToHashSet();
        Assert.Equal(SmallSpec.Parameters.Select(p => (string?)p.Name).ToHashSet(), gradients);
        Assert.Empty(json["bookRule"]!.AsArray());

        var training = json["training"]!.AsArray();
        Assert.Equal(["from-scratch engine (lockstep, f64)", "TorchSharp twin (lockstep, f64)", "ML.NET linear (LbfgsMaximumEntropy)"],
            training.Select(t => (string?)t!["model"]));
        var drift = training[1]!["maxParamRelDiff"]!.AsArray().Select(d => (double)d!).ToList();
        Assert.Equal(2, drift.Count);
        Assert.All(drift, d => Assert.True(d < 1e-12, $"drift {d}"));
        Assert.Equal(training[0]!["testAcc"]!.ToJsonString(), training[1]!["testAcc"]!.ToJsonString());

        var deployed = json["deployed"]!;
        Assert.True((bool)deployed["pass"]!);
        Assert.Equal(0, (int)deployed["agreements"]![0]!["flipped"]!);

        // The speed section: the engine and the twin in both dtypes, ONNX Runtime's test pass, the spec's floor.
        var timings = json["timings"]!;
        var rows = timings["speed"]!.AsArray().Select(r => ((string?)r!["implementation"], (string?)r["work"])).ToList();
        string[] trained = [Workloads.EngineName(Core.Dtype.Float64), Workloads.EngineName(Core.Dtype.Float32),
            .. Twins(Core.Dtype.Float64), .. Twins(Core.Dtype.Float32)];
        Assert.Equal([.. trained.Select(t => ((string?)t, (string?)"epoch (train 96 + test of 100)")),
            .. trained.Append(OnnxRuntimeWorkload.Name).Select(t => ((string?)t, (string?)"test pass of 100"))], rows);
        Assert.Equal(ComputeFloor.MultiplyAdds(SmallSpec, 96, 100), (double)timings["computeFloor"]!["multiplyAdds"]!);
        Assert.Null(timings["scratchBookTrainingSeconds"]);
        var goals = timings["speedGoals"]!.AsArray();
        Assert.Equal(2, goals.Count);
        Assert.All(goals, g => Assert.Null(g!["met"])); // set for lenet5 on 60,000 images

        string md = File.ReadAllText(Path.Combine(outDir, MarkdownReportWriter.FileName));
        Assert.StartsWith("# PASS: CnnParity parity report", md);
        Assert.DoesNotContain("The book's update rule", md);
        Assert.Contains("| architecture | " + Small.Replace("_", "\\_") + " |", md);
        Assert.Contains("| dense1.weight | f64 | finite differences |", md);
        Assert.Contains("**Who is wrong:** nobody: every implementation is within its bound of the float64 truth.", md);
        Assert.Contains("drift (max |twin − engine|".Replace("|", "\\|"), md);
        Assert.True(File.Exists(Path.Combine(outDir, HtmlReportWriter.FileName)));
    }

    /// <summary>
    /// A spec's deployed model: `report --quick --arch lenet5` has the deployed section, PASS, with no argmax flip
    /// against the from-scratch float32 outputs and ML.NET's accuracy equal to the from-scratch one.
    /// </summary>
    [SkippableFact]
    public void QuickReportOfLeNet5DeploysWithoutAFlip()
    {
        string outDir = Path.Combine(work.Path, "q");
        var result = CliProcess.Run(work.Path, "report", "--quick", "--arch", "lenet5", "--data", RealMnist.Require(), "--out", outDir, "--bench-reps", "0");

        Assert.True(result.ExitCode == 0, result.ToString());
        var deployed = JsonNode.Parse(File.ReadAllText(Path.Combine(outDir, JsonReportWriter.FileName)))!["deployed"]!;
        Assert.True((bool)deployed["pass"]!);
        // Every implementation against the float64 truth, classes included: ONNX Runtime, ML.NET, the float32 engine and twin.
        Assert.Equal(4, deployed["agreements"]!.AsArray().Count);
        var agreement = deployed["agreements"]!.AsArray().Single(a => (string?)a!["implementation"] == "ONNX Runtime")!;
        Assert.Equal((1000, 0), ((int)agreement["count"]!, (int)agreement["unexplained"]!));
        var accuracies = deployed["accuracies"]!.AsArray().ToDictionary(a => (string)a!["model"]!, a => (int)a!["correct"]!);
        Assert.Equal(accuracies["from-scratch (f32)"], accuracies["ML.NET ApplyOnnxModel"]);
        // The Markdown shows the section too.
        Assert.Contains("\n## Deployed model (ONNX Runtime, ML.NET)\n", File.ReadAllText(Path.Combine(outDir, MarkdownReportWriter.FileName)));
    }

    [SkippableFact]
    public void BenchOfASpecTimesTheEngineAgainstTheTwin()
    {
        var result = CliProcess.Run(work.Path, "bench", "--data", RealMnist.Require(), "--arch", Small, "--train", "96", "--batch", "32", "--test", "100", "--reps", "1");

        Assert.True(result.ExitCode == 0, result.ToString());
        string[] rows = [Workloads.EngineName(Core.Dtype.Float64), Workloads.EngineName(Core.Dtype.Float32), .. Twins(Core.Dtype.Float64), .. Twins(Core.Dtype.Float32)];
        foreach (string row in rows)
            Assert.Contains(result.OutputLines, l => l.StartsWith(row, StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.Contains(OnnxRuntimeWorkload.Name, StringComparison.Ordinal));
        Assert.Contains(result.OutputLines, l => l.StartsWith("compute floor: ", StringComparison.Ordinal));
        Assert.Equal(2, result.OutputLines.Count(l => l.StartsWith("goal: from-scratch engine", StringComparison.Ordinal)));
    }

    public static TheoryData<string[], string> BadSpecs => new()
    {
        { ["train"], "spec layer 3 'dense(10)': dense needs a vector" },
        { ["report"], "spec layer 3 'dense(10)': dense needs a vector" },
        { ["bench"], "spec layer 3 'dense(10)': dense needs a vector" },
    };

    /// <summary>A bad spec: one line naming the layer, exit 2, and no file written (report folder, weights, metrics).</summary>
    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void ABadSpecIsOneLineAndWritesNothing(string[] command, string phrase)
    {
        string outDir = Path.Combine(work.Path, "r"), weights = Path.Combine(work.Path, "w.npz"), metrics = Path.Combine(work.Path, "m.json");
        string[] outputs = command[0] switch
        {
            "train" => ["--save", weights, "--metrics-out", metrics],
            "report" => ["--out", outDir],
            _ => [],
        };

        var result = CliProcess.Run(work.Path, [.. command, "--arch", "conv(c=4,k=3) relu dense(10)", .. outputs]);

        CliAssert.OneLineError(result, 2, phrase);
        Assert.False(Directory.Exists(outDir));
        Assert.False(File.Exists(weights));
        Assert.False(File.Exists(metrics));
    }

    public static TheoryData<string[], string> RefusedOptions => new()
    {
        { ["train", "--arch", "lenet5", "--kernels", "8"], "--kernels belongs to ch10; the spec 'lenet5' gives every size itself" },
        { ["train", "--arch", "lenet5", "--mode", "corrected"], "--mode belongs to ch10" },
        { ["train", "--momentum", "0.5"], "--momentum applies to a spec's training (--arch SPEC)" },
        { ["train", "--arch", "lenet5", "--momentum", "1"], "--momentum must be a number in [0, 1), got '1'" },
        { ["report", "--arch", "lenet5", "--grid", "25"], "--grid belongs to ch10" },
        { ["report", "--arch", "lenet5", "--numpy-test", "100"], "--numpy-test belongs to ch10" },
        { ["report", "--momentum", "0.5"], "--momentum applies to a spec's training" },
        { ["bench", "--arch", "lenet5", "--no-numpy"], "--no-numpy belongs to ch10" },
        { ["bench", "--train", "2000"], "--train applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["train", "--shuffle", "--arch", "ch10"], "--shuffle applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["report", "--shuffle"], "--shuffle applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["bench", "--shuffle", "--arch", "ch10"], "--shuffle applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["train", "--lr-decay", "0.9"], "--lr-decay applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["report", "--lr-decay", "0.9"], "--lr-decay applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["parity", "--lr-decay", "0.9", "--json", "p.json"], "--lr-decay applies to a spec's lockstep run; ch10 keeps the notebook's alpha" },
        { ["train", "--arch", "lenet5", "--lr-decay", "1.5"], "--lr-decay must be in (0, 1], got 1.5" },
        { ["train", "--arch", "lenet5", "--optimizer", "rmsprop"], "--optimizer must be one of sgd, adam, adamw, got 'rmsprop'" },
        { ["train", "--arch", "lenet5", "--weight-decay", "-0.1"], "--weight-decay must be a finite number >= 0, got '-0.1'" },
        { ["report", "--arch", "lenet5", "--optimizer", "adam", "--beta1", "1"], "--beta1 must be a number in [0, 1), got '1'" },
        { ["parity", "--arch", "lenet5", "--optimizer", "adamw", "--beta2", "-0.5", "--json", "p.json"], "--beta2 must be a number in [0, 1), got '-0.5'" },
        { ["bench", "--arch", "lenet5", "--optimizer", "adam", "--eps", "nan"], "--eps must be a finite positive number, got 'nan'" },
        { ["train", "--arch", "lenet5", "--beta2", "0.99"], "--beta2 is Adam's: give it with --optimizer adam or adamw" },
        { ["train", "--arch", "lenet5", "--optimizer", "adam", "--momentum", "0.5"], "--momentum is SGD's; --optimizer adam keeps its own moments" },
        { ["train", "--optimizer", "adam"], "--optimizer applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["report", "--weight-decay", "0.01"], "--weight-decay applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["bench", "--optimizer", "adamw"], "--optimizer applies to a spec's training (--arch SPEC); ch10 does not take it" },
        { ["parity", "--optimizer", "adam", "--json", "p.json"], "--optimizer applies to a spec's lockstep run; ch10 trains with the corrected rule, plain SGD" },
        { ["parity", "--grid", "5", "--weight-decay", "0.1", "--json", "p.json"], "--weight-decay applies to a spec's lockstep run; --grid N trains none" },
    };

    [Theory]
    [MemberData(nameof(RefusedOptions))]
    public void OptionsOfTheOtherSideAreOneLineAndExitTwo(string[] options, string phrase)
    {
        string outDir = Path.Combine(work.Path, "r");
        var result = CliProcess.Run(work.Path, [.. options, .. options[0] == "report" ? new[] { "--out", outDir } : []]);

        CliAssert.OneLineError(result, 2, phrase);
        Assert.False(Directory.Exists(outDir));
    }

    static string[] Twins(Core.Dtype dtype) => [.. CnnParity.Torch.TorchRuntime.SpeedThreadCounts.Select(t => Workloads.TwinName(dtype, t))];

    static (int Epoch, double Loss, double TestAcc, double TrainAcc) Parse(string line)
    {
        var m = LogLine().Match(line);
        Assert.True(m.Success, $"not a log line: {line}");
        double D(string g) => double.Parse(m.Groups[g].Value, CultureInfo.InvariantCulture);
        return (int.Parse(m.Groups["epoch"].Value, CultureInfo.InvariantCulture), D("loss"), D("test"), D("train"));
    }

    [GeneratedRegex(@"^I: (?<epoch>\d+) \| Loss: (?<loss>[0-9.]+) \| Test-Acc: (?<test>[0-9.]+) \| Train-Acc: (?<train>[0-9.]+)$")]
    private static partial Regex LogLine();
}
