using CnnParity.Core;
using CnnParity.Parity.Triage;
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
        long[] shape = [1000, 10];
        const string truth = "float64 reference from the float32 weights and images";
        SideDistance Side(string name, double maxAbs, double ratio) =>
            new(name, maxAbs, 4321, ratio, maxAbs, ratio > 1 ? 9_000 : 0, 10_000);
        var checks = new List<TriagedCheck>
        {
            new("deployed", "logits", Dtype.Float32, "test set (1000)", shape, truth, "rounding bound",
                [failLogits ? Side("ONNX Runtime", 0.3, 2.1e5) : Side("ONNX Runtime", 2.6e-7, 0.21), Side("ML.NET ApplyOnnxModel", 2.6e-7, 0.21),
                 Side("from-scratch (f32)", 3.1e-7, 0.3), Side("TorchSharp twin (f32)", 2.2e-7, 0.18)]),
            new("deployed", "probabilities", Dtype.Float32, "test set (1000)", shape, truth, "rounding bound",
                [Side("ONNX Runtime", 2.7e-8, 0.1), Side("ML.NET ApplyOnnxModel", 2.7e-8, 0.1), Side("from-scratch (f32)", 3e-8, 0.12), Side("TorchSharp twin (f32)", 2e-8, 0.09)]),
        };
        List<DeployedFlip> flips = flipMargin is double m ? [new DeployedFlip(417, 3, 5, m, m <= 1e-5)] : [];
        var agreements = new List<DeployedAgreement>
        {
            new("ONNX Runtime", 1000, flips.Count, flips),
            new("ML.NET ApplyOnnxModel", 1000, 0, []),
        };
        var random = new Random(3);
        var labels = Enumerable.Range(0, 1000).Select(_ => (byte)random.Next(10)).ToArray();
        var mlnet = SyntheticReport.Run("ML.NET ApplyOnnxModel", 1, 0.9, labels, random, lockstep: false) with { Epochs = [] };
        var model = new DeployedModel("ch10 --kernels 4 --grid 26", "conv(c=4,k=3,bias=false) tanh dropout(p=0.5) flatten dense(10,bias=false)",
            "weights after 300 book-rule epochs", 109_658, 13, 8, 5, 27_076, 1000, checks, agreements,
            [new("ONNX Runtime", 900, 1000), new("ML.NET ApplyOnnxModel", 900, 1000), new("from-scratch (f32)", 900, 1000)], mlnet);
        return new DeployedModelSection(model, MlNetMetrics.Evaluate(mlnet), "ONNX Runtime 1.31.1 and ML.NET 5.0.1");
    }
}
