using System.CommandLine;
using System.Globalization;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Parity.Speed;
using CnnParity.Reports;
using CnnParity.Reports.Model;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity bench`: end-to-end epoch times (7 training batches, then the test pass) of every implementation in
/// one process, interleaved round by round (a warm-up round first, not counted), with the median, the spread and
/// the ratios; TorchSharp at one LibTorch thread and at every core; NumPy's reference program too when python3-numpy
/// is installed (it says so when it is not); the compute floor, measured on this machine, and the speed goals.
/// With --arch SPEC (not ch10): the spec's engine against its twin (<see cref="SpecBenchRun"/>).
/// For per-operation numbers and allocations see benchmarks/CnnParity.Benchmarks.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions();
        var reps = CliOptions.Positive("--reps", "measured rounds (after one warm-up round)", 5, 1000);
        var noNumPy = new Option<bool>("--no-numpy") { Description = "leave NumPy's reference program out" };
        var arch = CliOptions.Arch();
        var momentum = CliOptions.Momentum();
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var specOnly = new Option[] { network.Train, network.Batch, network.LearningRate, momentum, shuffle, decay };
        var command = new Command("bench", "Time one epoch of every implementation, interleaved, and print medians, spread and ratios.");
        foreach (var option in new Option[] { network.NumKernels, network.Grid, network.Test, network.Threads, network.Data, network.Dataset, network.Seed, network.NumPyExp, reps, noNumPy, arch })
            command.Options.Add(option);
        foreach (var option in specOnly) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            if (!spec.IsChapter10)
            {
                var options = SpecOptions.Training(parsed, network, spec, parsed.GetValue(momentum), parsed.GetValue(shuffle), parsed.GetValue(decay), [noNumPy]) with { Epochs = 1 };
                return BackendGuard.Run(new BackendRun(spec.DisplayName,
                    BackendProbe.For(spec, options.BatchSize, options.TrainCount, options.TestCount, [Dtype.Float64, Dtype.Float32]),
                    () =>
                    {
                        Interruption.Activity = "loading the data";
                        var (specData, specFolder) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data), options.TrainCount, options.TestCount);
                        TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp
                        return SpecBenchRun.Run(options, specData, specFolder.Path, parsed.GetValue(reps), network.Exp(parsed));
                    },
                    crash => CrashReports.Printed(crash)));
            }
            SpecOptions.RejectForChapter10(parsed, specOnly);
            var config = new ScratchConfig
            {
                Seed = (uint)parsed.GetValue(network.Seed),
                NumKernels = parsed.GetValue(network.NumKernels),
                Grid = parsed.GetValue(network.Grid),
                TestCount = parsed.GetValue(network.Test),
                Threads = parsed.GetValue(network.Threads),
                Epochs = int.MaxValue,
                Exp = network.Exp(parsed).Kernel,
            }.Validate();
            int rounds = parsed.GetValue(reps);
            var chapter10 = ArchitectureSpec.Chapter10(config.NumKernels, config.Grid);
            return BackendGuard.Run(new BackendRun(chapter10.DisplayName,
                BackendProbe.For(chapter10, config.BatchSize, config.TrainCount, config.TestCount, [Dtype.Float64, Dtype.Float32]),
                () => Chapter10(parsed, network, config, rounds, noNumPy),
                crash => CrashReports.Printed(crash)));
        });
        return command;
    }

    static int Chapter10(ParseResult parsed, NetworkOptions network, ScratchConfig config, int rounds, Option<bool> noNumPy)
    {
        Interruption.Activity = "loading the data";
        var (data, folder) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data), config.TrainCount, config.TestCount);
        TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp

        var workloads = new List<EpochWorkload>(Workloads.InProcess(config, data));
        try
        {
            string? numPyMissing = parsed.GetValue(noNumPy) ? "left out (--no-numpy)" : NumPyWorkload.Unavailable();
            if (numPyMissing is null)
            {
                workloads.Add(NumPyWorkload.Create(config, folder.Path, perImageTest: false));
                workloads.Add(NumPyWorkload.Create(config, folder.Path, perImageTest: true));
            }

            Console.WriteLine($"cnnparity bench: K={config.NumKernels}, grid {config.Grid}, {config.BatchesPerEpoch} batches of {config.BatchSize}, " +
                              $"test pass of {config.TestCount}; from-scratch threads {config.Threads}, {(int)VectorWidths.Native}-bit vectors, " +
                              $"tanh kernel {SimdTanh.Kernel}; LibTorch threads {string.Join(" and ", TorchRuntime.SpeedThreadCounts)}");
            Console.WriteLine($"data: {folder.Path}; {rounds} measured rounds after a warm-up round, implementations interleaved");
            var exp = network.Exp(parsed);
            Console.WriteLine($"np.exp mirrored: {exp.Name} ({exp.Description}); {exp.Reason}");
            Console.WriteLine(numPyMissing is null ? "NumPy: reference/cnn_reference.py with /usr/bin/python3 (its own timings, start-up excluded)"
                                                   : $"NumPy: not measured: {numPyMissing}");
            Console.Out.Flush();
            var progress = Interruption.Track(new CliProgress());
            var rate = progress.Phase("compute floor (measuring this machine's peak)", 1, step =>
            {
                var r = ComputeFloor.Calibrate(config);
                step($"{r.PerSecondPerThread / 1e9:F1} G/s per thread");
                return r;
            });
            var timings = progress.Phase("timing the epochs", EpochBench.Epochs(workloads.Count, rounds), step =>
                EpochBench.Run(workloads, rounds, what => step(what)));
            Print(timings, config, rate);
        }
        finally
        {
            foreach (var workload in workloads) workload.Dispose();
            TorchRuntime.Pin();
        }
        return 0;
    }

    static void Print(IReadOnlyList<EpochTimings> all, ScratchConfig config, MultiplyAddRate rate)
    {
        var invariant = CultureInfo.InvariantCulture;
        var timings = all.Where(t => !t.InferenceOnly).ToList();
        double fast = EpochBench.Median(timings[0].Epoch);
        Console.WriteLine();
        Console.WriteLine($"{"implementation",-36} {"epoch median",12} {"min",9} {"max",9} {"train",9} {"test",9} {"× fast",8}");
        foreach (var t in timings)
        {
            double median = EpochBench.Median(t.Epoch);
            Console.WriteLine(string.Format(invariant, "{0,-36} {1,10:F3} s {2,9:F3} {3,9:F3} {4,9:F3} {5,9:F3} {6,8:F1}",
                t.Implementation, median, t.Epoch.Min(), t.Epoch.Max(), EpochBench.Median(t.Train), EpochBench.Median(t.Test), median / fast));
        }
        Console.WriteLine();
        // Every test pass side by side, the exported model in ONNX Runtime among them (it trains nothing).
        double fastTest = EpochBench.Median(timings[0].Test);
        foreach (var t in all)
            Console.WriteLine(string.Format(invariant, "test pass of {0:N0}: {1,-36} {2,8:F3} s  ({3:F2}× the fast path's)",
                config.TestCount, t.Implementation, EpochBench.Median(t.Test), EpochBench.Median(t.Test) / fastTest));
        Console.WriteLine();
        foreach (var t in timings.Skip(1))
        {
            var rounds = t.RoundRatios(timings[0]);
            Console.WriteLine(string.Format(invariant, "fast path vs {0,-37} {1,7:F1}× faster (round by round: {2:F1}–{3:F1}×)",
                t.Implementation + ":", EpochBench.Median(t.Epoch) / fast, rounds.Min(), rounds.Max()));
        }
        double floor = ComputeFloor.Seconds(config, rate);
        Console.WriteLine(string.Format(invariant,
            "compute floor: {0:F2} G multiply-adds per epoch at {1:F1} G/s per thread × {2} threads = {3:F3} s; fast path at {4:F1}× the floor",
            ComputeFloor.MultiplyAdds(config) / 1e9, rate.PerSecondPerThread / 1e9, rate.Threads, floor, fast / floor));
        Console.WriteLine($"  rate measured here: {(int)rate.Width}-bit vectors, {ComputeFloorRow.MeasuredBy}");
        foreach (var g in SpeedGoals.Evaluate(config, timings, floor, fullRunSeconds: null))
            Console.WriteLine(string.Format(invariant, "goal: {0,-66} {1,7:F1}× (rounds {2:F1}–{3:F1}×) against {4}, target {5}: {6}", g.Name, g.Measured,
                g.RoundMin, g.RoundMax, g.Against, g.Target, g.Met switch { true => "met", false => "NOT met", null => $"not judged (set for {g.AppliesTo})" }));
    }
}
