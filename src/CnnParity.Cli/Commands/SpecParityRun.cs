using System.CommandLine;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.IO;
using CnnParity.Parity.Grid;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Specs;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `parity --arch SPEC` and `parity --grid N`: the checks of any spec, written as a spec parity JSON file
/// (<see cref="SpecParityJson"/>), which `report merge` reads. Exit 0 when every check passes, 1 otherwise.
/// </summary>
public static class SpecParityRun
{
    /// <summary>A spec's lockstep SGD when --lr and --momentum are not given (ch10's default lr of 2 belongs to its Σ/B² loss).</summary>
    public const double DefaultLearningRate = 0.05, DefaultMomentum = 0.9;

    /// <summary>One spec: forward and gradients in float64 and float32, then lockstep training in <paramref name="lockstepDtype"/>.</summary>
    public static int Spec(ParseResult parsed, NetworkOptions network, ArchitectureSpec spec, Dtype lockstepDtype, double momentum, bool shuffle, double decay, string path)
    {
        var settings = new SpecParitySettings(
            (uint)parsed.GetValue(network.Seed), parsed.GetValue(network.Batch), parsed.GetValue(network.Test), SpecParitySettings.ArchFiniteDifferenceSample,
            parsed.GetValue(network.Threads), parsed.GetValue(network.Epochs), parsed.GetValue(network.Train),
            ParityCommand.Explicit(parsed, network.LearningRate) ? parsed.GetValue(network.LearningRate) : DefaultLearningRate,
            momentum, lockstepDtype, network.Exp(parsed).Kernel, shuffle, decay);
        CheckOutput(path);
        return BackendGuard.Run(new BackendRun(spec.DisplayName,
            BackendProbe.For(spec, settings.Batch, Math.Max(settings.TrainCount, settings.Batch), settings.TestCount, [Dtype.Float64, Dtype.Float32]),
            () => SpecChecks(parsed, network, spec, settings, lockstepDtype, path),
            crash => CrashReports.SpecParity(crash, settings, null, path)));
    }

    static int SpecChecks(ParseResult parsed, NetworkOptions network, ArchitectureSpec spec, SpecParitySettings settings, Dtype lockstepDtype, string path)
    {
        var data = Prepare(parsed, network, path, settings.TrainCount, settings.TestCount);
        var setup = SpecParitySetup.FromSeed(spec, data, settings);
        var checks = ParitySequence.Spec(setup, Interruption.Track(new CliProgress()), Interruption.Token);
        var (forward, gradients, lockstep) = (checks.Forward, checks.Gradients, checks.SpecLockstep!);
        var result = new SpecParityResult(null, spec.DisplayName, forward, gradients, lockstep.Epochs, Parity.Tolerances.SpecLockstepDrift(lockstepDtype).Limit, lockstep.Problem);
        var report = new SpecParityReport(settings, null, [result]);
        Write(report, path);

        foreach (var c in forward) Console.WriteLine($"forward  {c.Dtype.ShortName()} {c.Layer,-10} {c.Scope,-22} max abs {c.Distance.MaxAbs:E2}  max rel {c.Distance.MaxRel:E2}  {(c.Pass ? "PASS" : "FAIL")}");
        foreach (var c in gradients) Console.WriteLine($"gradient {c.Dtype.ShortName()} {c.Tensor,-14} {c.Pair,-32} max abs {c.Distance.MaxAbs:E2}  max rel {c.Distance.MaxRel:E2}  {(c.Pass ? "PASS" : "FAIL")}");
        foreach (var e in lockstep.Epochs) Console.WriteLine($"lockstep epoch {e.Epoch}: loss {e.EngineLoss:F6} / {e.TwinLoss:F6}, test acc {e.EngineTestAcc:F4} / {e.TwinTestAcc:F4}, drift {e.Drift:E2}");
        return Finish(report, path);
    }

    /// <summary>A random grid, or one shard of it: float64 forward and gradient checks of each spec.</summary>
    public static int Grid(ParseResult parsed, NetworkOptions network, (int Shard, int Shards) shard, string path)
    {
        int count = parsed.GetValue(network.Grid);
        var grid = new GridSelection(count, (ulong)parsed.GetValue(network.Seed), [shard.Shard], shard.Shards);
        var defaults = SpecParitySettings.Grid((uint)parsed.GetValue(network.Seed), parsed.GetValue(network.Threads));
        var settings = defaults with
        {
            Batch = ParityCommand.Explicit(parsed, network.Batch) ? parsed.GetValue(network.Batch) : defaults.Batch,
            TestCount = ParityCommand.Explicit(parsed, network.Test) ? parsed.GetValue(network.Test) : defaults.TestCount,
            Exp = network.Exp(parsed).Kernel,
        };
        CheckOutput(path);
        // Random specs, hundreds of them: no pre-flight probe (it would cost as much as the checks); the run is supervised.
        return BackendGuard.Run(new BackendRun($"one of the grid's specs (seed {grid.Seed})", [],
            () => GridChecks(parsed, network, grid, settings, count, shard, path),
            crash => CrashReports.SpecParity(crash, settings, grid, path)));
    }

    static int GridChecks(ParseResult parsed, NetworkOptions network, GridSelection grid, SpecParitySettings settings, int count, (int Shard, int Shards) shard, string path)
    {
        var data = Prepare(parsed, network, path, settings.Batch, settings.TestCount);
        var indices = grid.ExpectedIndices.ToList();
        var progress = Interruption.Track(new CliProgress());
        var results = progress.Phase($"grid of {count} specs, shard {shard.Shard}/{shard.Shards}", indices.Count, step =>
            SpecGridRun.Run(grid, data, settings, r => step($"spec {r.Index}: {(r.Passed ? "PASS" : "FAIL")}"), Interruption.Token));
        var report = new SpecParityReport(settings, grid, results);
        Write(report, path);
        foreach (var r in results)
            Console.WriteLine($"{(r.Passed ? "PASS" : "FAIL")} {r.Index,4}  forward max rel {r.WorstForward?.Distance.MaxRel:E2}  gradient max rel {r.WorstGradient?.Distance.MaxRel:E2}  {r.Spec}");
        return Finish(report, path);
    }

    // Everything that can be refused is refused before the first check: the output file, the data, the dtype pin.
    static void CheckOutput(string path)
    {
        CliOptions.CheckWritableFile("--json", path);
        Interruption.Outcome = File.Exists(path) ? $"{path} left as it was" : $"{path} not written";
    }

    static Core.Scratch.ScratchData Prepare(ParseResult parsed, NetworkOptions network, string path, int trainCount, int testCount)
    {
        CheckOutput(path);
        Interruption.Activity = "loading the data";
        var (data, _) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data), trainCount, testCount);
        TorchRuntime.Pin();
        return data;
    }

    static void Write(SpecParityReport report, string path)
    {
        Interruption.ThrowIfRequested();
        AtomicFile.WriteAllText(path, SpecParityJson.Render(report));
    }

    static int Finish(SpecParityReport report, string path)
    {
        Console.WriteLine($"{report.Verdict}: {Path.GetFullPath(path)}");
        foreach (string reason in report.Reasons) Console.WriteLine($"  {reason}");
        return report.Passed ? 0 : 1;
    }
}
