using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Results;

/// <summary>A test image whose class (argmax, first maximum) differs between an implementation and the float64 truth.</summary>
/// <param name="TruthMargin">the truth's logit of its class minus its logit of the implementation's class: how near a tie it was</param>
/// <param name="Explained">the margin is within the two logits' rounding bounds together (a near tie broken the other way by rounding)</param>
public sealed record DeployedFlip(int Image, int Prediction, int TruthPrediction, double TruthMargin, bool Explained);

/// <summary>An implementation's predictions against the float64 truth's: how many images flipped, and each flip (up to a few).</summary>
public sealed record DeployedAgreement(string Implementation, int Count, int Flipped, IReadOnlyList<DeployedFlip> Flips)
{
    /// <summary>Flips that rounding within the bound cannot explain.</summary>
    public int Unexplained => Flips.Count(f => !f.Explained);
}

/// <summary>Test accuracy of one implementation on the same images.</summary>
public sealed record DeployedAccuracy(string Model, int Correct, int Count)
{
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}

/// <summary>
/// The exported network as a deployment runs it — ONNX Runtime directly and through ML.NET — and the from-scratch network
/// and the TorchSharp twin at the same weights, all in float32, each judged against the float64 truth on the test images.
/// </summary>
/// <param name="Arch">the spec's name (ch10 with its options, lenet5, or the spec's text)</param>
/// <param name="Weights">where the weights came from (trained, initial, a file)</param>
/// <param name="Checks">the logits and the probabilities: every implementation against the float64 truth</param>
/// <param name="Agreements">every implementation's predicted classes against the truth's</param>
/// <param name="MlNet">the ML.NET pipeline's predictions and probabilities, for ML.NET's multiclass metrics</param>
public sealed record DeployedModel(
    string Arch, string Spec, string Weights, long FileBytes, long Opset, long IrVersion, int Nodes, long Parameters, int TestCount,
    IReadOnlyList<TriagedCheck> Checks,
    IReadOnlyList<DeployedAgreement> Agreements,
    IReadOnlyList<DeployedAccuracy> Accuracies,
    TrainingRun MlNet)
{
    /// <summary>Every implementation within its bound and every flip explained by it.</summary>
    public bool Pass => Checks.All(c => c.Pass) && Agreements.All(a => a.Unexplained == 0);
}
