using CnnParity.Testing;

namespace CnnParity.Parity.Results;

/// <summary>One output of the deployed model against one reference, over the whole test set.</summary>
/// <param name="Output">logits or probabilities</param>
/// <param name="Runtime">what ran the .onnx file: "ONNX Runtime" or "ML.NET ApplyOnnxModel"</param>
/// <param name="Reference">what it is held against: "from-scratch (f32)", "TorchSharp twin (f32)", or ONNX Runtime itself</param>
public sealed record DeployedComparison(string Output, string Runtime, string Reference, TensorDistance Distance, Tolerance Tolerance, bool Pass);

/// <summary>A test image whose class (argmax, first maximum) differs between the runtime and a reference.</summary>
/// <param name="ReferenceMargin">the reference's top logit minus its second: how close to a tie it was</param>
/// <param name="Explained">the margin is within what the tolerance lets both logits move (a tie broken by rounding)</param>
public sealed record DeployedFlip(int Image, int RuntimePrediction, int ReferencePrediction, double ReferenceMargin, bool Explained);

/// <summary>The predictions of a runtime against a reference's: how many images flipped, and each flip (up to a few).</summary>
public sealed record DeployedAgreement(string Runtime, string Reference, int Count, int Flipped, IReadOnlyList<DeployedFlip> Flips)
{
    /// <summary>Flips that rounding within the tolerance cannot explain.</summary>
    public int Unexplained => Flips.Count(f => !f.Explained);
}

/// <summary>Test accuracy of one implementation on the same images.</summary>
public sealed record DeployedAccuracy(string Model, int Correct, int Count)
{
    public double Accuracy => Count == 0 ? 0 : (double)Correct / Count;
}

/// <summary>
/// The exported network as a deployment runs it — ONNX Runtime directly and through ML.NET — against the from-scratch
/// network and the TorchSharp twin at the same weights, all in float32, on the test images.
/// </summary>
/// <param name="Arch">the spec's name (ch10 with its options, lenet5, or the spec's text)</param>
/// <param name="Weights">where the weights came from (trained, initial, a file)</param>
/// <param name="MlNet">the ML.NET pipeline's predictions and probabilities, for ML.NET's multiclass metrics</param>
public sealed record DeployedModel(
    string Arch, string Spec, string Weights, long FileBytes, long Opset, long IrVersion, int Nodes, long Parameters, int TestCount,
    IReadOnlyList<DeployedComparison> Comparisons,
    IReadOnlyList<DeployedAgreement> Agreements,
    IReadOnlyList<DeployedAccuracy> Accuracies,
    TrainingRun MlNet)
{
    /// <summary>Every comparison within its tolerance and every flip explained by it.</summary>
    public bool Pass => Comparisons.All(c => c.Pass) && Agreements.All(a => a.Unexplained == 0);
}
