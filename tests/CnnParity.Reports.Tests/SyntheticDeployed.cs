using CnnParity.Testing;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Tests;

/// <summary>A made-up deployed-model section with the names and magnitudes a real run gives (see the ONNX tests for real ones).</summary>
internal static class SyntheticDeployed
{
    /// <param name="failLogits">the ONNX Runtime logits are far from the from-scratch ones</param>
    /// <param name="flipMargin">a flipped image with this reference margin (a near tie, or not), or none</param>
    public static DeployedModelSection Create(bool failLogits = false, double? flipMargin = null)
    {
        var tolerance = Tolerances.ForwardFloat32;
        var close = new TensorDistance(2.6e-7, 2.1e-3, 19_624, 10_000, 500);
        var comparisons = new List<DeployedComparison>
        {
            new("logits", "ONNX Runtime", "from-scratch (f32)", failLogits ? new TensorDistance(0.3, 0.5, 9_999_999, 10_000, 0) : close, tolerance, !failLogits),
            new("probabilities", "ONNX Runtime", "from-scratch (f32)", new TensorDistance(2.7e-8, 2.7e-7, 4, 10_000, 0), tolerance, true),
            new("logits", "ML.NET ApplyOnnxModel", "ONNX Runtime", new TensorDistance(0, 0, 0, 10_000, 10_000), tolerance, true),
        };
        List<DeployedFlip> flips = flipMargin is double m
            ? [new DeployedFlip(417, 3, 5, m, m <= 2 * (tolerance.Atol + tolerance.Rtol * 4.0))]
            : [];
        var agreements = new List<DeployedAgreement>
        {
            new("ONNX Runtime", "from-scratch (f32)", 1000, flips.Count, flips),
            new("ML.NET ApplyOnnxModel", "ONNX Runtime", 1000, 0, []),
        };
        var random = new Random(3);
        var labels = Enumerable.Range(0, 1000).Select(_ => (byte)random.Next(10)).ToArray();
        var mlnet = SyntheticReport.Run("ML.NET ApplyOnnxModel", 1, 0.9, labels, random, lockstep: false) with { Epochs = [] };
        var model = new DeployedModel("ch10 --kernels 4 --grid 26", "conv(c=4,k=3,bias=false) tanh dropout(p=0.5) flatten dense(10,bias=false)",
            "weights after 300 book-rule epochs", 109_658, 13, 8, 5, 27_076, 1000, comparisons, agreements,
            [new("ONNX Runtime", 900, 1000), new("ML.NET ApplyOnnxModel", 900, 1000), new("from-scratch (f32)", 900, 1000)], mlnet);
        return new DeployedModelSection(model, MlNetMetrics.Evaluate(mlnet), "ONNX Runtime 1.31.1 and ML.NET 5.0.1");
    }
}
