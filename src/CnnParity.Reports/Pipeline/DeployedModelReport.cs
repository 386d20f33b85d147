using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Onnx;
using CnnParity.Onnx.Scoring;
using CnnParity.Parity.Deployed;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The "Deployed model (ONNX Runtime, ML.NET)" section for any spec and weights: exports them, proves the export
/// (<see cref="DeployedModelParity"/>) and measures the ML.NET pipeline's scores with ML.NET's own evaluator.
/// </summary>
public static class DeployedModelReport
{
    /// <param name="testImages">pixels/255, image after image; as many images as <paramref name="testLabels"/> are scored</param>
    public static DeployedModelSection Run(ArchitectureSpec spec, ParameterSet<double> parameters, ModelProvenance provenance,
        ReadOnlySpan<double> testImages, ReadOnlySpan<byte> testLabels, int threads)
    {
        var model = DeployedModelParity.Run(spec, parameters, provenance, testImages, testLabels, threads);
        return new DeployedModelSection(model, MlNetMetrics.Evaluate(model.MlNet), Runtimes);
    }

    /// <summary>The versions that ran the model: the native ONNX Runtime, and ML.NET's package version.</summary>
    public static string Runtimes =>
        $"ONNX Runtime {OnnxRuntimeScorer.RuntimeVersion} and ML.NET {ReportEnvironmentProbe.MlNetVersion}";
}
