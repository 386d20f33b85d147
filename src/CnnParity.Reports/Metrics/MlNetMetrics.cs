using CnnParity.Core.Architecture;
using CnnParity.Parity.Results;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CnnParity.Reports.Metrics;

/// <summary>
/// Multiclass metrics of a model's test predictions, computed by ML.NET's evaluator
/// (MulticlassClassificationCatalog.Evaluate) rather than by hand, so every model is measured by the same,
/// independent ruler.
/// </summary>
public static class MlNetMetrics
{
    /// <summary>Metrics of every run that has test predictions, in the runs' order.</summary>
    public static IReadOnlyList<ClassificationMetrics> EvaluateAll(IEnumerable<TrainingRun> runs) =>
        [.. runs.Where(r => r.TestLabels.Length > 0 && r.TestPredictions.Length > 0).Select(Evaluate)];

    /// <summary>
    /// Evaluates one run's final test predictions. With finite probabilities (10 per image) they are the Score,
    /// so log-loss is real. Otherwise the Score is the one-hot prediction and log-loss is null with the reason:
    /// the evaluator silently drops rows whose scores are NaN, and a diverged model would then be judged on
    /// the few images it still scores.
    /// </summary>
    public static ClassificationMetrics Evaluate(TrainingRun run)
    {
        int n = run.TestLabels.Length;
        if (n == 0) throw new ArgumentException($"{run.Model}: no test predictions to evaluate", nameof(run));
        if (run.TestPredictions.Length != n)
            throw new ArgumentException($"{run.Model}: {run.TestPredictions.Length} predictions for {n} labels", nameof(run));
        if (run.TestProbabilities.Length != 0 && run.TestProbabilities.Length != n * ArchitectureSpec.Classes)
            throw new ArgumentException(
                $"{run.Model}: {run.TestProbabilities.Length} probabilities for {n} images (want {ArchitectureSpec.Classes} each)", nameof(run));

        string? unavailable = Unusable(run.TestProbabilities, n);
        var rows = new ScoredRow[n];
        for (int i = 0; i < n; i++)
            rows[i] = new ScoredRow
            {
                Label = CheckedClass(run.TestLabels[i], run.Model),
                PredictedLabel = CheckedClass(run.TestPredictions[i], run.Model),
                Score = unavailable is null ? Scores(run.TestProbabilities, i) : OneHot(run.TestPredictions[i]),
            };

        // The evaluator draws no random numbers; the seed only pins the context for good measure.
        var ml = new MLContext(seed: 0);
        var metrics = ml.MulticlassClassification.Evaluate(ml.Data.LoadFromEnumerable(rows));
        var confusion = metrics.ConfusionMatrix;
        return new ClassificationMetrics(
            run.Model, n, metrics.MicroAccuracy, metrics.MacroAccuracy,
            unavailable is null ? metrics.LogLoss : null,
            unavailable is null ? metrics.LogLossReduction : null,
            [.. confusion.PerClassPrecision],
            [.. confusion.PerClassRecall],
            [.. confusion.Counts.Select(row => (IReadOnlyList<long>)[.. row.Select(c => (long)c)])],
            unavailable);
    }

    /// <summary>Why the probabilities cannot be scored, or null when they can.</summary>
    private static string? Unusable(double[] probabilities, int images)
    {
        if (probabilities.Length == 0) return "the model gave no probabilities";
        int bad = 0;
        for (int i = 0; i < images; i++)
            for (int c = 0; c < ArchitectureSpec.Classes; c++)
                if (!double.IsFinite(probabilities[i * ArchitectureSpec.Classes + c])) { bad++; break; }
        return bad == 0 ? null : $"{bad} of {images} images have NaN or infinite probabilities";
    }

    private static float[] Scores(double[] probabilities, int image)
    {
        var s = new float[ArchitectureSpec.Classes];
        for (int c = 0; c < ArchitectureSpec.Classes; c++) s[c] = (float)probabilities[image * ArchitectureSpec.Classes + c];
        return s;
    }

    private static float[] OneHot(int predicted)
    {
        var s = new float[ArchitectureSpec.Classes];
        s[predicted] = 1f;
        return s;
    }

    private static uint CheckedClass(int value, string model) =>
        value is >= 0 and < ArchitectureSpec.Classes
            ? (uint)value
            : throw new ArgumentException($"{model}: class {value} is not a digit 0-9");
}
