using CnnParity.Core.Architecture;
using Microsoft.ML.Data;

namespace CnnParity.Reports.Metrics;

/// <summary>
/// One scored test image in the column layout MulticlassClassification.Evaluate reads: a key-typed Label with
/// a known count of 10, a Score vector of 10 floats (class i at index i), and a key-typed PredictedLabel.
/// </summary>
/// <remarks>
/// Through LoadFromEnumerable a [KeyType] uint holds the 0-based class index (digit d is d). The evaluator
/// takes the prediction from the arg-max of Score; PredictedLabel only has to exist.
/// </remarks>
internal sealed class ScoredRow
{
    [KeyType(ArchitectureSpec.Classes)]
    public uint Label { get; set; }

    [VectorType(ArchitectureSpec.Classes)]
    public float[] Score { get; set; } = [];

    [KeyType(ArchitectureSpec.Classes)]
    public uint PredictedLabel { get; set; }
}
