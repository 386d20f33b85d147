using System.CommandLine;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.IO;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Specs;
using CnnParity.Reports.Writers;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity parity`: the checks alone, written as a parity file (<see cref="SpecParityJson"/>), which `report merge` reads.
/// Two forms:
/// <list type="bullet">
/// <item><c>--arch NETWORK</c> (ch10, the default, or any spec): <see cref="ParitySequence"/> — forward per layer and gradients
/// (autograd and finite differences) in float64 and float32, ch10's book rule, a lockstep run in --dtype — as the report
/// runs it.</item>
/// <item><c>--grid N --seed S [--shard I/K]</c>: float64 forward and gradient checks of N random specs.</item>
/// </list>
/// Either form runs under <see cref="BackendGuard"/> (issue 20): a native crash of LibTorch is written as the file's
/// "backend" FAIL. Exit 0 when every check passes, 1 when one fails (or LibTorch crashed), 2 for usage or data errors
/// (nothing written).
/// </summary>
public static class ParityCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions(defaultEpochs: 5, grid: CliOptions.GridOrSpecCount());
        var dtype = CliOptions.Dtype("the lockstep run's dtype, the engine's and the twin's (the forward and gradient checks run in both)");
        var json = new Option<string>("--json") { Description = "write the results to this JSON file", Required = true };
        var arch = CliOptions.Arch();
        var shard = CliOptions.Shard();
        var momentum = CliOptions.NonNegativeFinite("--momentum", "SGD momentum of a spec's lockstep run (not ch10)", RunOptions.DefaultMomentum, 1);
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var optimizer = new OptimizerOptions();
        var command = new Command("parity", "Check the from-scratch network against its TorchSharp twin and write JSON.");
        network.AddTo(command);
        optimizer.AddTo(command);
        foreach (var option in new Option[] { dtype, json, arch, shard, momentum, shuffle, decay }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp, whichever form runs
            bool randomGrid = Explicit(parsed, network.Grid) && (parsed.GetValue(network.Grid) is not (25 or 26) || Explicit(parsed, shard));
            if (randomGrid)
            {
                if (Explicit(parsed, arch))
                    throw new CnnParityException("--grid N draws its own specs: give --arch or --grid N, not both");
                if (new Option[] { shuffle, decay }.Concat(optimizer.All).FirstOrDefault(o => Explicit(parsed, o)) is { } lockstepOnly)
                    throw new CnnParityException($"{lockstepOnly.Name} applies to a spec's lockstep run; --grid N trains none");
                return Grid(parsed, network, parsed.GetValue(shard), parsed.GetValue(json)!);
            }
            if (Explicit(parsed, shard))
                throw new CnnParityException("--shard splits a random grid: give it with --grid N");
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            if (spec.IsChapter10)
            {
                if (Explicit(parsed, momentum))
                    throw new CnnParityException("--momentum applies to a spec's lockstep run; ch10 trains with the corrected rule, without momentum");
                if (Explicit(parsed, shuffle))
                    throw new CnnParityException("--shuffle applies to a spec's lockstep run; ch10 takes its images in the notebook's order");
                if (Explicit(parsed, decay))
                    throw new CnnParityException("--lr-decay applies to a spec's lockstep run; ch10 keeps the notebook's alpha");
                if (optimizer.FirstExplicit(parsed) is { } option)
                    throw new CnnParityException($"{option.Name} applies to a spec's lockstep run; ch10 trains with the corrected rule, plain SGD");
            }
            var training = RunOptions.Training(parsed, network, optimizer, spec, momentum, parsed.GetValue(shuffle), parsed.GetValue(decay), [],
                DtypeNames.Parse(parsed.GetValue(dtype)!));
            return Network(parsed, network, training, parsed.GetValue(json)!);
        });
        return command;
    }

    internal static bool Explicit(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    /// <summary>One network: <see cref="ParitySequence"/>, as the report runs it, after a pre-flight probe of its LibTorch ops.</summary>
    static int Network(ParseResult parsed, NetworkOptions network, SpecTrainerOptions training, string path)
    {
        var settings = SpecParitySettings.Of(training);
        CheckOutput(path);
        return BackendGuard.Run(new BackendRun(training.Spec.DisplayName, BackendProbe.For(training),
            () => NetworkChecks(parsed, network, settings, path, training.Spec),
            crash => CrashReports.SpecParity(crash, settings, null, path)));
    }

    static int NetworkChecks(ParseResult parsed, NetworkOptions network, SpecParitySettings settings, string path, ArchitectureSpec spec)
    {
        var data = Prepare(parsed, network, path, settings.TrainCount, settings.TestCount);
        Console.WriteLine(Header(spec, settings));
        var checks = ParitySequence.Run(SpecParitySetup.FromSeed(spec, data, settings), Interruption.Track(new CliProgress()), Interruption.Token);
        var result = checks.Result;
        var report = new SpecParityReport(settings, null, [result]);
        Write(report, path);

        foreach (var c in result.Forward.Concat(result.Gradients)) Console.WriteLine(TriageRows.Line(c));
        foreach (var e in result.Lockstep) Console.WriteLine($"lockstep epoch {e.Epoch}: loss {e.EngineLoss:F6} / {e.TwinLoss:F6}, test acc {e.EngineTestAcc:F4} / {e.TwinTestAcc:F4}, drift {e.Drift:E2}");
        return Finish(report, path);
    }

    /// <summary>
    /// The first line of a network's parity run: the network and how its lockstep run trains, optimizer and all
    /// ("parity lenet5: lockstep 5 epochs on 1000 images, batch 128, f64, adam (β1 0.9, β2 0.999, eps 1E-08) lr 0.001").
    /// </summary>
    internal static string Header(ArchitectureSpec spec, SpecParitySettings s) => string.Create(System.Globalization.CultureInfo.InvariantCulture,
        $"parity {spec.DisplayName}: lockstep {s.LockstepEpochs} epochs on {s.TrainCount} images, batch {s.Batch}, {s.LockstepDtype.ShortName()}, " +
        $"{s.Optimizer} lr {s.LearningRate}{(s.Optimizer.IsAdam ? "" : $" momentum {s.Momentum}")}{(s.LearningRateDecay != 1 ? $" ×{s.LearningRateDecay} an epoch" : "")}" +
        $"{(s.Shuffle ? ", reshuffled every epoch" : "")}");

    /// <summary>A random grid, or one shard of it: forward and gradient checks of each spec, in float64 and float32.</summary>
    static int Grid(ParseResult parsed, NetworkOptions network, (int Shard, int Shards) shard, string path)
    {
        int count = parsed.GetValue(network.Grid);
        var grid = new GridSelection(count, (ulong)parsed.GetValue(network.Seed), [shard.Shard], shard.Shards);
        var defaults = SpecParitySettings.Grid((uint)parsed.GetValue(network.Seed), parsed.GetValue(network.Threads));
        var settings = defaults with
        {
            Batch = Explicit(parsed, network.Batch) ? parsed.GetValue(network.Batch) : defaults.Batch,
            TestCount = Explicit(parsed, network.Test) ? parsed.GetValue(network.Test) : defaults.TestCount,
            Exp = network.Exp(parsed).Kernel,
        };
        CheckOutput(path);
        // Random specs, hundreds of them: no pre-flight probe (it would cost as much as the checks); the run is supervised.
        return BackendGuard.Run(new BackendRun($"one of the grid's specs (seed {grid.Seed})", [],
            () => GridChecks(parsed, network, grid, settings, shard, path),
            crash => CrashReports.SpecParity(crash, settings, grid, path)));
    }

    static int GridChecks(ParseResult parsed, NetworkOptions network, GridSelection grid, SpecParitySettings settings, (int Shard, int Shards) shard, string path)
    {
        var data = Prepare(parsed, network, path, settings.Batch, settings.TestCount);
        var indices = grid.ExpectedIndices.ToList();
        var progress = Interruption.Track(new CliProgress());
        var results = progress.Phase($"grid of {grid.Count} specs, shard {shard.Shard}/{shard.Shards}", indices.Count, step =>
            SpecGridRun.Run(grid, data, settings, r => step($"spec {r.Index}: {(r.Passed ? "PASS" : "FAIL")}"), Interruption.Token));
        var report = new SpecParityReport(settings, grid, results);
        Write(report, path);
        foreach (var r in results)
            Console.WriteLine(TriageRows.GridLine(r));
        return Finish(report, path);
    }

    // Everything that can be refused is refused before the first check: the output file (before the probe too), the data, the dtype pin.
    static void CheckOutput(string path)
    {
        CliOptions.CheckWritableFile("--json", path);
        Interruption.Outcome = File.Exists(path) ? $"{path} left as it was" : $"{path} not written";
    }

    static ScratchData Prepare(ParseResult parsed, NetworkOptions network, string path, int trainCount, int testCount)
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
