using CnnParity.Parity.Results;
using CnnParity.Reports.Metrics;

namespace CnnParity.Reports.Model;

/// <summary>
/// The report's "Deployed model (ONNX Runtime, ML.NET)" section: the network exported to ONNX and proved equal
/// (<see cref="DeployedModel"/>), with ML.NET's multiclass metrics of the ApplyOnnxModel pipeline's scores.
/// </summary>
/// <param name="Runtimes">the versions that ran it, e.g. "ONNX Runtime 1.31.1, ML.NET 5.0.1"</param>
public sealed record DeployedModelSection(DeployedModel Model, ClassificationMetrics MlNetMetrics, string Runtimes);
