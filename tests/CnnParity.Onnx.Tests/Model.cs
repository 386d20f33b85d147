using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Onnx.Export;
using CnnParity.Onnx.Scoring;

namespace CnnParity.Onnx.Tests;

/// <summary>A spec exported with test parameters, ready to score.</summary>
sealed class Model
{
    public Model(string text, uint seed = 3)
    {
        Spec = SpecSource.Read(text);
        Parameters = TestNetworks.Parameters(Spec, seed);
        Bytes = OnnxExporter.Export(Spec, name => Parameters[name], ModelProvenance.Initial(seed));
    }

    public ArchitectureSpec Spec { get; }
    public ParameterSet<double> Parameters { get; }
    public byte[] Bytes { get; }

    public OnnxOutputs Score(float[] images, int count, int threads = 1, int batch = OnnxRuntimeScorer.DefaultBatch)
    {
        using var scorer = new OnnxRuntimeScorer(Bytes, threads, [Spec.Input.Channels, Spec.Input.Height, Spec.Input.Width]);
        return scorer.Score(images, count, batch);
    }
}
