using System.CommandLine;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.IO;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Reports;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Writers;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity parity`: the checks alone, written as schema-versioned JSON. Three forms:
/// <list type="bullet">
/// <item><c>--arch ch10</c> (the default): forward per layer, gradients (autograd and finite differences), the
/// book-rule analysis and a lockstep run of the chapter-10 network in one dtype — as it always was.</item>
/// <item><c>--arch SPEC</c>: the same checks for any spec (<see cref="SpecParityRun"/>).</item>
/// <item><c>--grid N --seed S [--shard I/K]</c>: float64 forward and gradient checks of N random specs (<see cref="SpecParityRun"/>).</item>
/// </list>
/// Exit 0 when every check passes, 1 when one fails, 2 for usage or data errors (nothing written).
/// </summary>
public static class ParityCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions(defaultEpochs: 5, grid: CliOptions.GridOrSpecCount());
        var dtype = CliOptions.Dtype("TorchSharp dtype (a spec's forward and gradient checks run in both; this one trains in lockstep)");
        var json = new Option<string>("--json") { Description = "write the results to this JSON file", Required = true };
        var arch = CliOptions.Arch();
        var shard = CliOptions.Shard();
        var momentum = CliOptions.NonNegativeFinite("--momentum", "SGD momentum of a spec's lockstep run (not ch10)", SpecParityRun.DefaultMomentum, 1);
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var command = new Command("parity", "Check the from-scratch network against its TorchSharp twin and write JSON.");
        network.AddTo(command);
        foreach (var option in new Option[] { dtype, json, arch, shard, momentum, shuffle, decay }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp, whichever path runs
            bool randomGrid = Explicit(parsed, network.Grid) && (parsed.GetValue(network.Grid) is not (25 or 26) || Explicit(parsed, shard));
            if (randomGrid)
            {
                if (Explicit(parsed, arch))
                    throw new CnnParityException("--grid N draws its own specs: give --arch or --grid N, not both");
                if (Explicit(parsed, shuffle) || Explicit(parsed, decay))
                    throw new CnnParityException($"{(Explicit(parsed, shuffle) ? "--shuffle" : "--lr-decay")} applies to a spec's lockstep run; --grid N trains none");
                return SpecParityRun.Grid(parsed, network, parsed.GetValue(shard), parsed.GetValue(json)!);
            }
            if (Explicit(parsed, shard))
                throw new CnnParityException("--shard splits a random grid: give it with --grid N");
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            if (!spec.IsChapter10)
            {
                foreach (var chapter10Only in new Option[] { network.NumKernels, network.Grid })
                    if (Explicit(parsed, chapter10Only))
                        throw new CnnParityException($"{chapter10Only.Name} belongs to ch10; the spec '{spec.DisplayName}' gives every size itself");
                return SpecParityRun.Spec(parsed, network, spec, DtypeNames.Parse(parsed.GetValue(dtype)!), parsed.GetValue(momentum), parsed.GetValue(shuffle), parsed.GetValue(decay), parsed.GetValue(json)!);
            }
            if (Explicit(parsed, momentum))
                throw new CnnParityException("--momentum applies to a spec's lockstep run; ch10 trains with the corrected rule, without momentum");
            if (Explicit(parsed, shuffle))
                throw new CnnParityException("--shuffle applies to a spec's lockstep run; ch10 takes its images in the notebook's order");
            if (Explicit(parsed, decay))
                throw new CnnParityException("--lr-decay applies to a spec's lockstep run; ch10 keeps the notebook's alpha");
            return Chapter10(parsed, network, DtypeNames.Parse(parsed.GetValue(dtype)!), parsed.GetValue(json)!);
        });
        return command;
    }

    internal static bool Explicit(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };

    /// <summary>The chapter-10 network's checks in one dtype: <see cref="ParitySequence.Chapter10"/>, as the report runs them.</summary>
    static int Chapter10(ParseResult parsed, NetworkOptions network, Dtype type, string path)
    {
        var config = network.Config(parsed);
        CliOptions.CheckWritableFile("--json", path);
        Interruption.Outcome = File.Exists(path) ? $"{path} left as it was" : $"{path} not written";
        string dataset = parsed.GetValue(network.Dataset)!;
        var chapter10 = ArchitectureSpec.Chapter10(config.NumKernels, config.Grid);
        return BackendGuard.Run(new BackendRun(chapter10.DisplayName, BackendProbe.For(chapter10, config.BatchSize, config.TrainCount, config.TestCount, [type]),
            () => Chapter10Checks(parsed, network, config, type, path),
            crash => CrashReports.ParityJson(crash, pinned => ReportConfiguration.From(config, dataset, quick: false, pinned, network.Exp(parsed)), config.Threads, path)));
    }

    static int Chapter10Checks(ParseResult parsed, NetworkOptions network, Core.Scratch.ScratchConfig config, Dtype type, string path)
    {
        Interruption.Activity = "loading the data";
        var (data, _) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data), config.TrainCount, config.TestCount);
        string pinned = TorchRuntime.Pin();
        var checks = ParitySequence.Chapter10(new ParitySetup(config, data), [type], type, Interruption.Track(new CliProgress()), Interruption.Token);
        var training = new List<TrainingRun> { checks.ScratchLockstep, checks.TwinLockstep };
        var verdict = checks.Decide(training);

        var report = new ParityReport(verdict.Verdict, verdict.Reasons,
            ReportEnvironmentProbe.Read(config.Threads, numPyVersion: null),
            ReportConfiguration.From(config, parsed.GetValue(network.Dataset)!, quick: false, pinned, network.Exp(parsed)),
            checks.Forward, checks.Gradients, checks.BookRule, training, SpeedSection.Empty);
        Interruption.ThrowIfRequested();
        AtomicFile.WriteAllText(path, JsonReportWriter.Render(report, MlNetMetrics.EvaluateAll(training)));
        foreach (var c in checks.Forward) Console.WriteLine($"forward  {c.Layer,-12} {c.Scope,-18} max rel {c.Distance.MaxRel:E2}  {(c.Pass ? "PASS" : "FAIL")}");
        foreach (var c in checks.Gradients) Console.WriteLine($"gradient {c.Tensor,-12} {c.Pair,-32} max abs {c.Distance.MaxAbs:E2}  {(c.Pass ? "PASS" : "FAIL")}");
        Console.WriteLine($"lockstep final max param rel diff {checks.TwinLockstep.Epochs.LastOrDefault()?.MaxParamRelDiff:E2}");
        Console.WriteLine($"{report.Verdict}: {Path.GetFullPath(path)}");
        foreach (string reason in report.Reasons) Console.WriteLine($"  {reason}");
        return verdict.Passed ? 0 : 1;
    }
}
