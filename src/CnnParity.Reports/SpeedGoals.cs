using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Model;
using CnnParity.Torch;

namespace CnnParity.Reports;

/// <summary>
/// The speed goals, each defined here and nowhere else. They are reported, never part of the verdict:
/// a benchmark on a shared machine is not a test. ch10's were set for the book's network (K=16) on a full epoch
/// (10,000 test images), a spec's for LeNet-5 on 60,000 training images; on other configurations the ratios are shown
/// without a judgement.
/// </summary>
public static class SpeedGoals
{
    public const double MinTimesFasterThanTorchSharpF64 = 10;
    public const double MinTimesFasterThanNumPyNotebook = 50;
    public const double MaxTimesComputeFloor = 3;
    public const double MaxFullRunSeconds = 45;
    public const int FullRunEpochs = 300, GoalKernels = 16, GoalTestCount = 10_000;

    /// <summary>What the compute-floor goal is judged against (the floor is a time, not a row of the table).</summary>
    public const string ComputeFloorName = "compute floor";

    /// <summary>A measured ratio: median over median, and its spread over the interleaved rounds.</summary>
    /// <param name="Against">the row (or the floor) the fast path was held against</param>
    public readonly record struct Ratio(double Median, double RoundMin, double RoundMax, string Against = "")
    {
        /// <summary><paramref name="slow"/>'s epoch time over <paramref name="fast"/>'s, or null if it was not measured.</summary>
        public static Ratio? Of(EpochTimings? slow, EpochTimings fast)
        {
            if (slow is null) return null;
            var rounds = slow.RoundRatios(fast);
            return new Ratio(EpochBench.Median(slow.Epoch) / EpochBench.Median(fast.Epoch), rounds.Min(), rounds.Max(), slow.Implementation);
        }

        /// <summary><paramref name="fast"/>'s epoch time over a fixed time (the compute floor).</summary>
        public static Ratio Over(EpochTimings fast, double seconds)
        {
            var rounds = fast.Epoch.Select(t => t / seconds).ToList();
            return new Ratio(EpochBench.Median(fast.Epoch) / seconds, rounds.Min(), rounds.Max(), ComputeFloorName);
        }
    }

    /// <summary>
    /// The goals of a run from one set of interleaved rounds (empty: none timed) and, for ch10, its book-rule run's wall time:
    /// the chapter-10 goals (<see cref="Evaluate(ScratchConfig, Ratio?, Ratio?, Ratio?, double?)"/>) or a spec's
    /// (<see cref="EvaluateSpec"/>), each set for its own network.
    /// </summary>
    public static IReadOnlyList<SpeedGoal> Evaluate(SpecTrainerOptions options, IReadOnlyList<EpochTimings> rounds, double? floorSeconds,
        double? fullRunSeconds)
    {
        if (!options.Spec.IsChapter10) return EvaluateSpec(options.Spec, options.TrainCount, rounds);
        var config = Core.Engines.Chapter10.Chapter10Engine.Config(options, TrainingMode.Book);
        EpochTimings? Find(string name) => rounds.FirstOrDefault(t => t.Implementation == name);
        if (Find(Workloads.ScratchName) is not { } fast) return Evaluate(config, null, null, null, fullRunSeconds);
        return Evaluate(config, Ratio.Of(FastestTwin(rounds, Dtype.Float64), fast), Ratio.Of(Find(NumPyWorkload.NotebookName), fast),
            floorSeconds is double f ? Ratio.Over(fast, f) : null, fullRunSeconds);
    }

    /// <summary>The TorchSharp twin in <paramref name="dtype"/> at the thread count with the lowest median epoch time, if timed.</summary>
    public static EpochTimings? FastestTwin(IReadOnlyList<EpochTimings> rounds, Dtype dtype)
    {
        var names = TorchRuntime.SpeedThreadCounts.Select(threads => Workloads.TwinName(dtype, threads)).ToHashSet();
        return rounds.Where(t => names.Contains(t.Implementation)).MinBy(t => EpochBench.Median(t.Epoch));
    }

    /// <param name="overTorchSharpF64">TorchSharp f64's epoch time (at its faster thread count) over the fast path's, if measured</param>
    /// <param name="overNumPyNotebook">the notebook program's epoch time over the fast path's on the same work, if measured</param>
    /// <param name="overFloor">the fast path's epoch time over the compute floor, if measured</param>
    /// <param name="fullRunSeconds">wall time of the from-scratch book training run</param>
    public static IReadOnlyList<SpeedGoal> Evaluate(ScratchConfig config, Ratio? overTorchSharpF64, Ratio? overNumPyNotebook,
        Ratio? overFloor, double? fullRunSeconds)
    {
        bool epochApplies = config.NumKernels == GoalKernels && config.TestCount == GoalTestCount;
        bool runApplies = epochApplies && config.Epochs == FullRunEpochs;
        string epochScope = $"K={GoalKernels}, test pass of {GoalTestCount:N0}";
        string runScope = $"{epochScope}, {FullRunEpochs} epochs";
        var goals = new List<SpeedGoal>();
        if (overTorchSharpF64 is { } t)
            goals.Add(Goal("fast path vs TorchSharp twin (f64) at its faster thread count, epoch", t, "×", $"≥ {MinTimesFasterThanTorchSharpF64}×",
                epochScope, epochApplies ? t.Median >= MinTimesFasterThanTorchSharpF64 : null));
        if (overNumPyNotebook is { } n)
            goals.Add(Goal("fast path vs NumPy notebook program, epoch", n, "×", $"≥ {MinTimesFasterThanNumPyNotebook}×", epochScope,
                epochApplies ? n.Median >= MinTimesFasterThanNumPyNotebook : null));
        if (overFloor is { } f)
            goals.Add(Goal("fast path over the compute floor, epoch", f, "×", $"≤ {MaxTimesComputeFloor}×", epochScope,
                epochApplies ? f.Median <= MaxTimesComputeFloor : null));
        if (fullRunSeconds is { } s)
            goals.Add(new SpeedGoal($"from-scratch book training, {config.Epochs} epochs (wall time)", s, s, s, "s",
                $"≤ {MaxFullRunSeconds} s", runScope, runApplies ? s <= MaxFullRunSeconds : null, ""));
        return goals;
    }

    /// <summary>
    /// A spec's goal: its from-scratch engine at least as fast as its TorchSharp twin at the twin's faster LibTorch thread
    /// count, an epoch each, in float64 and in float32 (same from-scratch thread count for every row). Set for LeNet-5 on
    /// all 60,000 training images (MNIST's training set); elsewhere shown, not judged.
    /// </summary>
    public const double MinTimesFasterThanTwin = 1;

    /// <summary>The spec and the training images the spec goals were set for.</summary>
    public const string GoalSpec = "lenet5";

    /// <inheritdoc cref="GoalSpec"/>
    public const int GoalTrainCount = 60_000;

    /// <summary>The spec goals from one set of interleaved rounds (<see cref="Workloads"/>): engine against twin, f64 and f32.</summary>
    public static IReadOnlyList<SpeedGoal> EvaluateSpec(CnnParity.Core.Architecture.ArchitectureSpec spec, int trainCount, IReadOnlyList<EpochTimings> rounds)
    {
        bool applies = spec.Preset == GoalSpec && trainCount == GoalTrainCount;
        string scope = $"{GoalSpec}, {GoalTrainCount:N0} training images";
        var goals = new List<SpeedGoal>();
        foreach (var dtype in new[] { Dtype.Float64, Dtype.Float32 })
        {
            string d = dtype.ShortName();
            var engine = rounds.FirstOrDefault(t => t.Implementation == Workloads.EngineName(dtype));
            if (engine is null || Ratio.Of(FastestTwin(rounds, dtype), engine) is not { } r) continue;
            goals.Add(Goal($"from-scratch engine ({d}) vs TorchSharp twin ({d}) at its faster thread count, epoch", r, "×",
                $"≥ {MinTimesFasterThanTwin}×", scope, applies ? r.Median >= MinTimesFasterThanTwin : null));
        }
        return goals;
    }

    static SpeedGoal Goal(string name, Ratio r, string unit, string target, string scope, bool? met) =>
        new(name, r.Median, r.RoundMin, r.RoundMax, unit, target, scope, met, r.Against);
}
