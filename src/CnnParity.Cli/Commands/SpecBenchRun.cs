using System.Globalization;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Parity.Speed;
using CnnParity.Reports;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `bench --arch SPEC` for any spec but ch10: an epoch over the run's training images and its test pass, of the
/// from-scratch engine and the TorchSharp twin in float64 and float32 (the twin at one LibTorch thread and at every
/// core), interleaved round by round, with ONNX Runtime's test pass beside them; the spec's compute floor at the rate
/// measured here, and the spec goals.
/// </summary>
internal static class SpecBenchRun
{
    public static int Run(SpecTrainerOptions options, ScratchData data, string folder, int rounds, NumPyExpChoice exp)
    {
        var workloads = SpecWorkloads.InProcess(options, data);
        try
        {
            int trained = options.BatchesPerEpoch * options.BatchSize;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"cnnparity bench: {options.Spec.DisplayName}, {options.BatchesPerEpoch} batches of {options.BatchSize} ({trained:N0} training images), " +
                $"test pass of {options.TestCount:N0}; SGD lr {options.LearningRate}, momentum {options.Momentum}{(options.LearningRateDecay != 1 ? $" (×{options.LearningRateDecay} an epoch)" : "")}{(options.Shuffle ? ", reshuffled every epoch" : "")}; from-scratch threads {options.Threads}, " +
                $"{(int)VectorWidths.Native}-bit vectors; LibTorch threads {string.Join(" and ", TorchRuntime.SpeedThreadCounts)}"));
            Console.WriteLine($"spec: {options.Spec.Text}");
            Console.WriteLine($"data: {folder}; {rounds} measured rounds after a warm-up round, implementations interleaved");
            Console.WriteLine($"np.exp mirrored: {exp.Name} ({exp.Description}); {exp.Reason}");
            Console.Out.Flush();
            var progress = Interruption.Track(new CliProgress());
            var rate = progress.Phase("compute floor (measuring this machine's peak)", 1, step =>
            {
                var r = ComputeFloor.Calibrate(options.Threads);
                step($"{r.PerSecondPerThread / 1e9:F1} G/s per thread");
                return r;
            });
            var timings = progress.Phase("timing the epochs", EpochBench.Epochs(workloads.Count, rounds), step =>
                EpochBench.Run(workloads, rounds, what => step(what)));
            Print(timings, options, trained, rate);
        }
        finally
        {
            foreach (var workload in workloads) workload.Dispose();
            TorchRuntime.Pin();
        }
        return 0;
    }

    static void Print(IReadOnlyList<EpochTimings> all, SpecTrainerOptions options, int trained, MultiplyAddRate rate)
    {
        var invariant = CultureInfo.InvariantCulture;
        var timings = all.Where(t => !t.InferenceOnly).ToList();
        var engine = timings[0]; // the from-scratch engine in float64: every row is held against it
        double reference = EpochBench.Median(engine.Epoch);
        Console.WriteLine();
        Console.WriteLine($"{"implementation",-36} {"epoch median",12} {"min",9} {"max",9} {"train",9} {"test",9} {"× engine f64",13}");
        foreach (var t in timings)
        {
            double median = EpochBench.Median(t.Epoch);
            Console.WriteLine(string.Format(invariant, "{0,-36} {1,10:F3} s {2,9:F3} {3,9:F3} {4,9:F3} {5,9:F3} {6,13:F2}",
                t.Implementation, median, t.Epoch.Min(), t.Epoch.Max(), EpochBench.Median(t.Train), EpochBench.Median(t.Test), median / reference));
        }
        Console.WriteLine();
        double referenceTest = EpochBench.Median(engine.Test);
        foreach (var t in all)
            Console.WriteLine(string.Format(invariant, "test pass of {0:N0}: {1,-36} {2,8:F3} s  ({3:F2}× the engine's (f64))",
                options.TestCount, t.Implementation, EpochBench.Median(t.Test), EpochBench.Median(t.Test) / referenceTest));
        Console.WriteLine();
        double multiplyAdds = ComputeFloor.MultiplyAdds(options.Spec, trained, options.TestCount);
        double floor = ComputeFloor.Seconds(multiplyAdds, rate);
        Console.WriteLine(string.Format(invariant,
            "compute floor: {0:F2} G multiply-adds per epoch at {1:F1} G/s per thread × {2} threads = {3:F3} s; engine (f64) at {4:F1}× the floor",
            multiplyAdds / 1e9, rate.PerSecondPerThread / 1e9, rate.Threads, floor, reference / floor));
        Console.WriteLine($"  counted from the spec: forward sums of the convolutions and dense layers, in training also the weight and input gradients");
        Console.WriteLine($"  rate measured here: {(int)rate.Width}-bit vectors of float64, {Reports.Model.ComputeFloorRow.MeasuredBy}");
        foreach (var g in SpeedGoals.EvaluateSpec(options.Spec, options.TrainCount, timings))
            Console.WriteLine(string.Format(invariant, "goal: {0,-74} {1,7:F2}× (rounds {2:F2}–{3:F2}×) against {4}, target {5}: {6}", g.Name, g.Measured,
                g.RoundMin, g.RoundMax, g.Against, g.Target, g.Met switch { true => "met", false => "NOT met", null => $"not judged (set for {g.AppliesTo})" }));
    }
}
