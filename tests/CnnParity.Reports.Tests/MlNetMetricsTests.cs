using CnnParity.Parity.Results;
using CnnParity.Reports.Metrics;

namespace CnnParity.Reports.Tests;

public class MlNetMetricsTests
{
    // Four test images, digits 0, 1, 2, 2; the last one is taken for a 0 (probability 0.1 on its true class).
    private static TrainingRun Tiny(bool withProbabilities) => new(
        "tiny", [new EpochRecord(0, 0.75, 0.75)], [0, 1, 2, 2], [0, 1, 2, 0],
        withProbabilities
            ? [.. P(0.7, 0.2, 0.1), .. P(0.1, 0.8, 0.1), .. P(0.1, 0.1, 0.8), .. P(0.6, 0.3, 0.1)]
            : []);

    private static double[] P(double a, double b, double c) => [a, b, c, 0, 0, 0, 0, 0, 0, 0];

    [Fact]
    public void Matches_a_hand_checked_case()
    {
        var m = MlNetMetrics.Evaluate(Tiny(withProbabilities: true));

        Assert.Equal(4, m.Count);
        Assert.Equal(0.75, m.MicroAccuracy, 12);
        // Per-class recall 1, 1, 1/2 over the three digits present.
        Assert.Equal((1 + 1 + 0.5) / 3, m.MacroAccuracy, 12);
        // Mean of -ln p(true class), computed from the float scores the evaluator sees.
        double expected = -(Math.Log(0.7f) + Math.Log(0.8f) + Math.Log(0.8f) + Math.Log(0.1f)) / 4;
        Assert.Equal(expected, m.LogLoss!.Value, 6);
        Assert.NotNull(m.LogLossReduction);

        Assert.Equal(10, m.ConfusionMatrix.Count);
        Assert.Equal([1L, 0, 0, 0, 0, 0, 0, 0, 0, 0], m.ConfusionMatrix[0]);
        Assert.Equal([1L, 0, 1, 0, 0, 0, 0, 0, 0, 0], m.ConfusionMatrix[2]);
        Assert.Equal(0.5, m.PerClassPrecision[0], 12);  // two predicted 0, one right
        Assert.Equal(1.0, m.PerClassPrecision[2], 12);
        Assert.Equal(0.5, m.PerClassRecall[2], 12);
    }

    [Fact]
    public void Without_probabilities_there_is_no_log_loss()
    {
        var m = MlNetMetrics.Evaluate(Tiny(withProbabilities: false));
        Assert.Equal(0.75, m.MicroAccuracy, 12);
        Assert.Null(m.LogLoss);
        Assert.Null(m.LogLossReduction);
        Assert.Equal("the model gave no probabilities", m.LogLossUnavailable);
    }

    [Fact]
    public void NaN_probabilities_still_count_every_image_by_its_prediction()
    {
        var run = Tiny(true);
        run = run with { TestProbabilities = [.. run.TestProbabilities.Select((p, i) => i < 10 ? double.NaN : p)] };
        var m = MlNetMetrics.Evaluate(run);
        Assert.Equal(0.75, m.MicroAccuracy, 12);
        Assert.Equal(4, m.ConfusionMatrix.Sum(r => r.Sum()));
        Assert.Null(m.LogLoss);
        Assert.Equal("1 of 4 images have NaN or infinite probabilities", m.LogLossUnavailable);
    }

    [Fact]
    public void Rejects_mismatched_lengths()
    {
        var run = Tiny(true) with { TestPredictions = [0, 1] };
        Assert.Throws<ArgumentException>(() => MlNetMetrics.Evaluate(run));
    }

    [Fact]
    public void Skips_runs_without_test_predictions()
    {
        var empty = new TrainingRun("empty", [], [], [], []);
        var all = MlNetMetrics.EvaluateAll([empty, Tiny(true)]);
        Assert.Equal("tiny", Assert.Single(all).Model);
    }
}
