using System.CommandLine;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Writers;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity bench`: end-to-end epoch times (the training batches, then the test pass) of every implementation of the
/// network (ch10, the default, or --arch SPEC) in one process, interleaved round by round (a warm-up round first, not
/// counted), with the median, the spread and the ratios; TorchSharp at one LibTorch thread and at every core; for ch10
/// NumPy's reference program too when python3-numpy is installed (it says so when it is not); the compute floor, measured
/// on this machine, and the speed goals — the report's speed section (<see cref="SpeedMeasurement"/>), printed
/// (<see cref="SpeedText"/>). For per-operation numbers and allocations see benchmarks/CnnParity.Benchmarks. It runs under
/// <see cref="BackendGuard"/> (issue 20): a native crash of LibTorch is printed as a FAIL, exit 1.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions();
        var reps = CliOptions.Positive("--reps", "measured rounds (after one warm-up round)", 5, 1000);
        var noNumPy = new Option<bool>("--no-numpy") { Description = "leave NumPy's reference program out (ch10)" };
        var arch = CliOptions.Arch();
        var momentum = CliOptions.Momentum();
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var optimizer = new OptimizerOptions();
        // ch10's epoch is the notebook's (1000 images in batches of 128 at alpha 2): only a spec's is set by these.
        Option[] specOnly = [network.Train, network.Batch, network.LearningRate, momentum, shuffle, decay, .. optimizer.All];
        var command = new Command("bench", "Time one epoch of every implementation, interleaved, and print medians, spread and ratios.");
        foreach (var option in new Option[] { network.NumKernels, network.Grid, network.Test, network.Threads, network.Data, network.Dataset, network.Seed, network.NumPyExp, reps, noNumPy, arch })
            command.Options.Add(option);
        foreach (var option in specOnly) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            if (spec.IsChapter10) RunOptions.RejectForChapter10(parsed, specOnly);
            var training = RunOptions.Training(parsed, network, optimizer, spec, momentum, parsed.GetValue(shuffle), parsed.GetValue(decay), [noNumPy]) with { Epochs = 1 };
            int rounds = parsed.GetValue(reps);
            return BackendGuard.Run(new BackendRun(spec.DisplayName, BackendProbe.For(training),
                () => Bench(parsed, network, training, rounds, noNumPy),
                crash => CrashReports.Printed(crash)));
        });
        return command;
    }

    static int Bench(ParseResult parsed, NetworkOptions network, SpecTrainerOptions training, int rounds, Option<bool> noNumPy)
    {
        Interruption.Activity = "loading the data";
        string dataset = parsed.GetValue(network.Dataset)!;
        var (data, folder) = DataLoading.Load(dataset, parsed.GetValue(network.Data), training.TrainCount, training.TestCount);
        TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp
        string? numPy = parsed.GetValue(noNumPy) ? "left out (--no-numpy)" : NumPyWorkload.Unavailable();
        var exp = network.Exp(parsed);
        foreach (string line in SpeedText.Header(training, folder.Path, rounds, exp, numPy)) Console.WriteLine(line);
        Console.Out.Flush();
        var options = new ReportOptions(training, dataset, folder.Path, Quick: false, rounds, training.TestCount, TorchRuntime.Pin(), exp);
        var speed = SpeedMeasurement.Run(options, data, numPy, fullRunSeconds: null, Interruption.Track(new CliProgress()));
        Console.WriteLine();
        foreach (string line in SpeedText.Lines(speed)) Console.WriteLine(line);
        return 0;
    }
}
