namespace CnnParity.Reports.Metrics;

/// <summary>ML.NET's multiclass metrics of one model's test predictions (MulticlassClassificationMetrics, copied out).</summary>
/// <param name="Count">test images evaluated</param>
/// <param name="MicroAccuracy">fraction of images classified correctly</param>
/// <param name="MacroAccuracy">mean over classes of the per-class accuracy (recall)</param>
/// <param name="LogLoss">mean -ln(probability of the true class); null when there are no usable probabilities</param>
/// <param name="LogLossReduction">1 - LogLoss / log-loss of the class prior; null with LogLoss</param>
/// <param name="LogLossUnavailable">why LogLoss is null (no probabilities, or some were NaN/Inf); null when it is there</param>
/// <param name="ConfusionMatrix">counts, [true class][predicted class]</param>
public sealed record ClassificationMetrics(
    string Model,
    int Count,
    double MicroAccuracy,
    double MacroAccuracy,
    double? LogLoss,
    double? LogLossReduction,
    IReadOnlyList<double> PerClassPrecision,
    IReadOnlyList<double> PerClassRecall,
    IReadOnlyList<IReadOnlyList<long>> ConfusionMatrix,
    string? LogLossUnavailable = null);
