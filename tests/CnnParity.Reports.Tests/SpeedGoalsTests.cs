using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Speed;
using CnnParity.Reports;
using Ratio = CnnParity.Reports.SpeedGoals.Ratio;

namespace CnnParity.Reports.Tests;

/// <summary>
/// The speed goals are judged on the book's network and a full epoch only, by the median, and against TorchSharp at its
/// faster LibTorch thread count.
/// </summary>
public sealed class SpeedGoalsTests
{
    static readonly ScratchConfig Book = new() { NumKernels = 16, Grid = 25, Epochs = 300, TestCount = 10_000 };

    [Fact]
    public void EachGoalIsJudgedByItsMedianAgainstItsTarget()
    {
        var goals = SpeedGoals.Evaluate(Book, new Ratio(10.5, 8, 12), new Ratio(49.9, 45, 80), new Ratio(2.0, 1.9, 2.2), 45.5);
        Assert.Equal([true, false, true, false], goals.Select(g => g.Met));
        Assert.Equal([10.5, 49.9, 2.0, 45.5], goals.Select(g => g.Measured));
        Assert.Equal((8, 12), (goals[0].RoundMin, goals[0].RoundMax));
        Assert.Equal(["≥ 10×", "≥ 50×", "≤ 3×", "≤ 45 s"], goals.Select(g => g.Target));
    }

    [Fact]
    public void BoundariesCountAsMet()
    {
        var goals = SpeedGoals.Evaluate(Book, new Ratio(10, 10, 10), new Ratio(50, 50, 50), new Ratio(3, 3, 3), 45);
        Assert.All(goals, g => Assert.True(g.Met));
    }

    [Theory]
    [InlineData(4, 10_000, 300)]   // another network
    [InlineData(16, 1_000, 300)]   // a quick report's test subset
    public void OtherConfigurationsAreShownButNotJudged(int kernels, int tests, int epochs)
    {
        var config = Book with { NumKernels = kernels, TestCount = tests, Epochs = epochs };
        var goals = SpeedGoals.Evaluate(config, new Ratio(1, 1, 1), new Ratio(1, 1, 1), new Ratio(9, 9, 9), 500);
        Assert.Equal(4, goals.Count);
        Assert.All(goals, g => Assert.Null(g.Met));
    }

    [Fact]
    public void TheFullRunGoalNeedsThreeHundredEpochs()
    {
        var goals = SpeedGoals.Evaluate(Book with { Epochs = 3 }, new Ratio(20, 20, 20), null, null, 1.2);
        Assert.Equal([true, null], goals.Select(g => g.Met));
        Assert.Contains("3 epochs", goals[1].Name);
    }

    [Fact]
    public void RatiosPairTheRoundsThatRanTogether()
    {
        // Epoch = train + test. Round 2 ran under load for both, so its ratio is ordinary although both times are high.
        var fast = new EpochTimings("fast", [0.1, 0.3, 0.1], [0.0, 0.0, 0.0]);
        var slow = new EpochTimings("slow", [1.0, 3.6, 1.5], [0.0, 0.0, 0.0]);
        var r = Ratio.Of(slow, fast)!.Value;
        Assert.Equal(1.5 / 0.1, r.Median, 12);
        Assert.Equal(10, r.RoundMin, 12);
        Assert.Equal(15, r.RoundMax, 12);
        Assert.Null(Ratio.Of(null, fast));

        var floor = Ratio.Over(fast, 0.05);
        Assert.Equal((2, 2, 6), (Math.Round(floor.Median, 12), Math.Round(floor.RoundMin, 12), Math.Round(floor.RoundMax, 12)));
    }

    [Fact]
    public void TorchSharpIsJudgedAtItsFasterThreadCount()
    {
        // Two rounds each; the fast path takes 0.1 s. TorchSharp takes 2.0 s on one thread and 1.2 s on every core.
        var fast = new EpochTimings(Workloads.ScratchName, [0.1, 0.1], [0, 0]);
        var counts = CnnParity.Torch.TorchRuntime.SpeedThreadCounts;
        var twins = counts.Select(t => new EpochTimings(Workloads.TwinName(Dtype.Float64, t), t == 1 ? [2.0, 2.0] : [1.2, 1.3], [0, 0])).ToList();
        var run = new CnnParity.Core.Engines.SpecTrainerOptions(CnnParity.Core.Architecture.ArchitectureSpec.Chapter10(16, 25)) { LearningRate = 2, TestCount = 10_000 };
        var goal = SpeedGoals.Evaluate(run, [fast, .. twins], floorSeconds: 0.05, fullRunSeconds: null)[0];

        string faster = Workloads.TwinName(Dtype.Float64, counts[^1]);
        Assert.Equal(faster, goal.Against);
        Assert.Equal(counts.Count == 1 ? 20 : 12.5, goal.Measured, 12);
        Assert.Equal(faster, SpeedGoals.FastestTwin([fast, .. twins], Dtype.Float64)!.Implementation);
        Assert.Null(SpeedGoals.FastestTwin([fast], Dtype.Float64));
    }

    [Fact]
    public void UnmeasuredGoalsAreLeftOut()
    {
        Assert.Empty(SpeedGoals.Evaluate(Book, null, null, null, null));
    }

    /// <summary>
    /// A spec's goals: the engine against the twin at its faster thread count, f64 and f32, by median; judged for lenet5 on
    /// 60,000 training images only.
    /// </summary>
    [Fact]
    public void ASpecsGoalsHoldTheEngineAgainstTheTwinAtItsBest()
    {
        var lenet5 = CnnParity.Core.Architecture.ArchitectureSpec.Parse("lenet5");
        EpochTimings T(string name, params double[] seconds) => new(name, seconds, [.. seconds.Select(_ => 0.0)]);
        var rounds = new[]
        {
            T(Workloads.EngineName(CnnParity.Core.Dtype.Float64), 5, 6, 5),
            T(Workloads.EngineName(CnnParity.Core.Dtype.Float32), 4, 4, 4),
            T(Workloads.TwinName(Dtype.Float64, 1), 10, 12, 10),
            T(Workloads.TwinName(Dtype.Float64, 2), 8, 9, 8),
            T(Workloads.TwinName(Dtype.Float32, 1), 3, 3, 3.5),
            T(Workloads.TwinName(Dtype.Float32, 2), 5, 5, 5),
        };

        var goals = SpeedGoals.EvaluateSpec(lenet5, 60_000, rounds);

        Assert.Equal([Workloads.TwinName(Dtype.Float64, 2), Workloads.TwinName(Dtype.Float32, 1)], goals.Select(g => g.Against));
        Assert.Equal(8.0 / 5, goals[0].Measured, 12);
        Assert.Equal((8.0 / 5, 9.0 / 6), (goals[0].RoundMax, goals[0].RoundMin));
        Assert.Equal(3.0 / 4, goals[1].Measured, 12);
        Assert.Equal([true, false], goals.Select(g => g.Met));
        Assert.All(goals, g => Assert.Equal("≥ 1×", g.Target));

        Assert.All(SpeedGoals.EvaluateSpec(lenet5, 6_000, rounds), g => Assert.Null(g.Met));
        Assert.All(SpeedGoals.EvaluateSpec(CnnParity.Core.Architecture.ArchitectureSpec.Parse("lenet5-relu"), 60_000, rounds), g => Assert.Null(g.Met));
    }
}
