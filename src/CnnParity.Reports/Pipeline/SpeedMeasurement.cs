using CnnParity.Core.Scratch;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Model;
using CnnParity.Torch;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The report's speed section: one epoch of every implementation, interleaved round by round (see
/// <see cref="EpochBench"/>), so the ratios come from one run under one machine load; TorchSharp at one LibTorch thread
/// and at all cores; then the compute floor, measured on this machine just before, and the speed goals. NumPy's
/// reference program joins the same rounds when it runs the same work.
/// </summary>
internal static class SpeedMeasurement
{
    public static SpeedSection Run(ReportOptions options, ScratchData data, bool withNumPy, double? fullRunSeconds, IPhaseProgress progress)
    {
        var config = options.Config;
        if (options.BenchRepetitions <= 0)
            return SpeedSection.Empty with { ScratchBookTrainingSeconds = fullRunSeconds,
                Goals = SpeedGoals.Evaluate(config, null, null, null, fullRunSeconds) };

        var main = new List<EpochWorkload>(Workloads.InProcess(config, data));
        var numPyConfig = config with { TestCount = Math.Min(config.TestCount, options.NumPyTests) };
        var numPy = new List<EpochWorkload>();
        // Without python3-numpy these rows are absent and the speed section says why.
        if (withNumPy && NumPyWorkload.FindScript() is not null)
        {
            numPy.Add(NumPyWorkload.Create(numPyConfig, options.DataFolder, perImageTest: false));
            numPy.Add(NumPyWorkload.Create(numPyConfig, options.DataFolder, perImageTest: true));
        }
        bool numPyJoinsMain = numPyConfig.TestCount == config.TestCount;
        if (numPyJoinsMain) main.AddRange(numPy);
        var smaller = !numPyJoinsMain && numPy.Count > 0 ? new List<EpochWorkload> { Workloads.Scratch(numPyConfig, data) } : [];
        smaller.AddRange(numPyJoinsMain ? [] : numPy);
        try
        {
            var rate = progress.Phase("compute floor (measuring this machine's peak)", 1, step =>
            {
                var r = ComputeFloor.Calibrate(config);
                step($"{r.PerSecondPerThread / 1e9:F1} G/s per thread");
                return r;
            });
            var timings = Measure("speed", main, options.BenchRepetitions, progress);
            // Epoch rows for what trains (the deployed model trains nothing), then the smaller NumPy group if any, then
            // every test pass from the same rounds, the deployed model's among them.
            var rows = Rows([.. timings.Where(t => !t.InferenceOnly)], Work(config), t => t.Epoch).ToList();
            if (smaller.Count > 0)
            {
                // A smaller NumPy test pass (--numpy-test), timed against the fast path on that same work.
                rows.AddRange(Rows(Measure("speed (NumPy)", smaller, options.BenchRepetitions, progress), Work(numPyConfig), t => t.Epoch));
            }
            rows.AddRange(Rows(timings, TestWork(config), t => t.Test));
            var floor = new ComputeFloorRow(ComputeFloor.MultiplyAdds(config), rate.PerSecondPerThread, rate.Threads,
                ComputeFloor.Seconds(config, rate), (int)rate.Width);
            // NumPy on a smaller test pass is not in these rounds, so its goal is left out.
            return new SpeedSection(rows, floor, fullRunSeconds, SpeedGoals.Evaluate(config, timings, floor.Seconds, fullRunSeconds));
        }
        finally
        {
            foreach (var workload in main.Concat(smaller)) workload.Dispose();
            TorchRuntime.Pin(); // the twins were timed at several thread counts; what follows is pinned again
        }
    }

    /// <summary>
    /// A spec's speed section: the engine and the twin in float64 and float32 (<see cref="SpecWorkloads"/>), an epoch over
    /// the run's training images and its test pass each, interleaved; ONNX Runtime's test pass; the spec's compute floor
    /// at the rate measured just before; the spec goals.
    /// </summary>
    public static SpeedSection Run(SpecReportOptions options, ScratchData data, IPhaseProgress progress)
    {
        var training = options.Training;
        if (options.BenchRepetitions <= 0) return SpeedSection.Empty;
        var workloads = SpecWorkloads.InProcess(training, data);
        try
        {
            var rate = progress.Phase("compute floor (measuring this machine's peak)", 1, step =>
            {
                var r = ComputeFloor.Calibrate(training.Threads);
                step($"{r.PerSecondPerThread / 1e9:F1} G/s per thread");
                return r;
            });
            var timings = Measure("speed", workloads, options.BenchRepetitions, progress);
            int trained = training.BatchesPerEpoch * training.BatchSize;
            var rows = Rows([.. timings.Where(t => !t.InferenceOnly)], SpecWork(trained, training.TestCount), t => t.Epoch).ToList();
            rows.AddRange(Rows(timings, TestWork(training.TestCount), t => t.Test));
            double multiplyAdds = ComputeFloor.MultiplyAdds(training.Spec, trained, training.TestCount);
            var floor = new ComputeFloorRow(multiplyAdds, rate.PerSecondPerThread, rate.Threads, ComputeFloor.Seconds(multiplyAdds, rate), (int)rate.Width);
            return new SpeedSection(rows, floor, null, SpeedGoals.EvaluateSpec(training.Spec, training.TrainCount, timings));
        }
        finally
        {
            foreach (var workload in workloads) workload.Dispose();
            TorchRuntime.Pin(); // the twins were timed at several thread counts; what follows is pinned again
        }
    }

    static IReadOnlyList<EpochTimings> Measure(string title, IReadOnlyList<EpochWorkload> workloads, int repetitions, IPhaseProgress progress) =>
        progress.Phase(title, EpochBench.Epochs(workloads.Count, repetitions), step => EpochBench.Run(workloads, repetitions, name => step(name)));

    static string Work(ScratchConfig config) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch (train + test of {config.TestCount:N0})");

    static string TestWork(ScratchConfig config) => TestWork(config.TestCount);

    static string TestWork(int testCount) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"test pass of {testCount:N0}");

    static string SpecWork(int trained, int testCount) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"epoch (train {trained:N0} + test of {testCount:N0})");

    /// <summary>Each implementation against the fastest of its group on one share of the work (the epoch or the test pass), by medians and round by round.</summary>
    static IEnumerable<SpeedRow> Rows(IReadOnlyList<EpochTimings> timings, string work, Func<EpochTimings, IReadOnlyList<double>> seconds)
    {
        var fastest = timings.MinBy(t => EpochBench.Median(seconds(t)))!;
        double fastestMedian = EpochBench.Median(seconds(fastest));
        return timings.Select(t =>
        {
            var rounds = seconds(t).Zip(seconds(fastest), (a, b) => a / b).ToList();
            double median = EpochBench.Median(seconds(t));
            return new SpeedRow(t.Implementation, work, seconds(t).Count, median, seconds(t).Min(), seconds(t).Max(),
                median / fastestMedian, rounds.Min(), rounds.Max());
        });
    }
}
