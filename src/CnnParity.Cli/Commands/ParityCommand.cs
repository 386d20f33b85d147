using System.CommandLine;
using CnnParity.Cli.Options;
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
/// `cnnparity parity`: the checks alone — forward per layer, gradients (autograd and finite differences),
/// the book-rule analysis and a lockstep run — in one dtype, written as schema-versioned JSON.
/// Exit 0 when every check passes, 1 when one fails, 2 for usage or data errors.
/// </summary>
public static class ParityCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions(defaultEpochs: 5);
        var dtype = CliOptions.OneOf("--dtype", "TorchSharp dtype", "f64", "f64", "f32");
        var json = new Option<string>("--json") { Description = "write the results to this JSON file", Required = true };
        var command = new Command("parity", "Check the from-scratch network against its TorchSharp twin and write JSON.");
        network.AddTo(command);
        command.Options.Add(dtype);
        command.Options.Add(json);
        command.SetAction(parsed =>
        {
            var config = network.Config(parsed);
            string type = parsed.GetValue(dtype)!, path = parsed.GetValue(json)!;
            CliOptions.CheckWritableFile("--json", path);
            Interruption.Outcome = File.Exists(path) ? $"{path} left as it was" : $"{path} not written";
            Interruption.Activity = "loading the data";
            var (data, _) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data), config.TrainCount, config.TestCount);
            string pinned = TorchRuntime.Pin();
            var setup = new ParitySetup(config, data);
            var progress = Interruption.Track(new CliProgress());

            var forward = progress.Phase("forward parity", 1, step => { var r = ForwardParity.Run(setup, type, config.TestCount); step(null); return r; });
            var gradients = progress.Phase("gradient parity", 1, step => { var r = GradientParity.Run(setup, type); step(null); return r; });
            var bookRule = BookRuleAnalysis.Run(setup);
            var lockstep = progress.Phase("lockstep", config.Epochs, step =>
                LockstepTraining.Run(config, data, type, e => step($"epoch {e.Epoch}: max param rel diff {e.MaxParamRelDiff:G3}"), Interruption.Token));
            var training = new List<TrainingRun> { lockstep.Scratch, lockstep.Twin };
            var verdict = Verdict.Decide(forward, gradients, training, Thresholds.Lockstep(type));

            var report = new ParityReport(verdict.Verdict, verdict.Reasons,
                ReportEnvironmentProbe.Read(config.Threads, numPyVersion: null),
                ReportConfiguration.From(config, parsed.GetValue(network.Dataset)!, quick: false, pinned, network.Exp(parsed)),
                forward, gradients, bookRule, training, SpeedSection.Empty);
            Interruption.ThrowIfRequested();
            AtomicFile.WriteAllText(path, JsonReportWriter.Render(report, MlNetMetrics.EvaluateAll(training)));
            foreach (var c in forward) Console.WriteLine($"forward  {c.Layer,-12} {c.Scope,-18} max rel {c.Distance.MaxRel:E2}  {(c.Pass ? "PASS" : "FAIL")}");
            foreach (var c in gradients) Console.WriteLine($"gradient {c.Tensor,-12} {c.Pair,-32} max abs {c.Distance.MaxAbs:E2}  {(c.Pass ? "PASS" : "FAIL")}");
            Console.WriteLine($"lockstep final max param rel diff {lockstep.Twin.Epochs.LastOrDefault()?.MaxParamRelDiff:E2}");
            Console.WriteLine($"{report.Verdict}: {Path.GetFullPath(path)}");
            foreach (string reason in report.Reasons) Console.WriteLine($"  {reason}");
            return verdict.Passed ? 0 : 1;
        });
        return command;
    }
}
