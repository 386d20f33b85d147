using System.Globalization;
using CnnParity.Core.Engines;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Model;
using CnnParity.Torch;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The speed section of any run (the report's, and what <c>bench</c> prints): one epoch of every implementation
/// (<see cref="Workloads.InProcess"/>), interleaved round by round (see <see cref="EpochBench"/>), so the ratios come from
/// one run under one machine load; TorchSharp at one LibTorch thread and at all cores; then the compute floor, measured on
/// this machine just before, and the speed goals. For ch10, NumPy's reference program joins the same rounds when it runs
/// the same work, or a group of its own against the fast path on a smaller test pass.
/// </summary>
public static class SpeedMeasurement
{
    /// <summary>The title of the timed rounds' phase.</summary>
    public const string RoundsTitle = "timing the epochs";

    /// <param name="numPyUnavailable">why NumPy's reference program cannot be timed here (<see cref="NumPyWorkload.Unavailable"/>,
    /// or left out on request); null: it is timed where it applies (ch10)</param>
    /// <param name="fullRunSeconds">the wall time of ch10's book-rule run, for its goal (null: none)</param>
    public static SpeedSection Run(ReportOptions options, ScratchData data, string? numPyUnavailable, double? fullRunSeconds, IPhaseProgress progress)
    {
        var t = options.Training;
        if (options.BenchRepetitions <= 0)
            return SpeedSection.Empty with { ScratchBookTrainingSeconds = fullRunSeconds, Goals = SpeedGoals.Evaluate(t, [], null, fullRunSeconds) };

        var main = new List<EpochWorkload>(Workloads.InProcess(t, data));
        var smaller = new List<EpochWorkload>();
        var numPyOptions = t with { TestCount = Math.Min(t.TestCount, options.NumPyTests) };
        string? numPyMissing = null;
        if (NumPyWorkload.AppliesTo(t.Spec))
        {
            numPyMissing = numPyUnavailable;
            if (numPyMissing is null)
            {
                var config = Core.Engines.Chapter10.Chapter10Engine.Config(numPyOptions, TrainingMode.Book);
                var numPy = new List<EpochWorkload>
                {
                    NumPyWorkload.Create(config, options.DataFolder, perImageTest: false),
                    NumPyWorkload.Create(config, options.DataFolder, perImageTest: true),
                };
                // NumPy on the run's own test pass joins the main rounds; on a smaller one (--numpy-test), a group of its
                // own, timed against the fast path on that same work.
                if (numPyOptions.TestCount == t.TestCount) main.AddRange(numPy);
                else smaller.AddRange([Workloads.Scratch(numPyOptions, data), .. numPy]);
            }
        }
        try
        {
            var rate = progress.Phase("compute floor (measuring this machine's peak)", 1, step =>
            {
                var r = ComputeFloor.Calibrate(t.Threads);
                step($"{r.PerSecondPerThread / 1e9:F1} G/s per thread");
                return r;
            });
            var timings = Measure(RoundsTitle, main, options.BenchRepetitions, progress);
            // Epoch rows for what trains (the deployed model trains nothing), then the smaller NumPy group if any, then
            // every test pass from the same rounds, the deployed model's among them.
            var rows = Rows([.. timings.Where(x => !x.InferenceOnly)], Work(t), x => x.Epoch).ToList();
            if (smaller.Count > 0)
                rows.AddRange(Rows(Measure($"{RoundsTitle} (NumPy)", smaller, options.BenchRepetitions, progress), Work(numPyOptions), x => x.Epoch));
            rows.AddRange(Rows(timings, TestWork(t.TestCount), x => x.Test));
            double multiplyAdds = ComputeFloor.MultiplyAdds(t);
            var floor = new ComputeFloorRow(multiplyAdds, rate.PerSecondPerThread, rate.Threads, ComputeFloor.Seconds(multiplyAdds, rate),
                (int)rate.Width, ComputeFloor.Counted(t.Spec));
            // NumPy on a smaller test pass is not in these rounds, so its goal is left out.
            return new SpeedSection(rows, floor, fullRunSeconds, SpeedGoals.Evaluate(t, timings, floor.Seconds, fullRunSeconds), numPyMissing);
        }
        finally
        {
            foreach (var workload in main.Concat(smaller)) workload.Dispose();
            TorchRuntime.Pin(); // the twins were timed at several thread counts; what follows is pinned again
        }
    }

    static IReadOnlyList<EpochTimings> Measure(string title, IReadOnlyList<EpochWorkload> workloads, int repetitions, IPhaseProgress progress) =>
        progress.Phase(title, EpochBench.Epochs(workloads.Count, repetitions), step => EpochBench.Run(workloads, repetitions, name => step(name)));

    /// <summary>"epoch (train 896 + test of 10,000)": the training images an epoch trains (whole batches) and its test pass.</summary>
    public static string Work(SpecTrainerOptions t) =>
        string.Create(CultureInfo.InvariantCulture, $"epoch (train {t.BatchesPerEpoch * t.BatchSize:N0} + test of {t.TestCount:N0})");

    static string TestWork(int testCount) => string.Create(CultureInfo.InvariantCulture, $"test pass of {testCount:N0}");

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
