using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Onnx.Export;
using CnnParity.Onnx.Scoring;
using CnnParity.Torch;

namespace CnnParity.Parity.Speed;

/// <summary>
/// The deployed model's share of an epoch: the network exported to ONNX and the test pass run by ONNX Runtime
/// (float32, the from-scratch thread count), beside the test passes of the other implementations. It trains nothing,
/// so it joins the test-pass rows only (<see cref="EpochWorkload.InferenceOnly"/>). The workload owns the ONNX Runtime
/// session.
/// </summary>
public static class OnnxRuntimeWorkload
{
    public const string Name = "ONNX Runtime (f32, inference)";

    /// <summary>Any spec at <paramref name="parameters"/> (the time of a test pass does not depend on the weights).</summary>
    public static EpochWorkload Create(ArchitectureSpec spec, ParameterSet<double> parameters, uint seed, int threads, ScratchData data, int testCount) =>
        Create(spec, name => parameters[name], seed, threads, data, testCount);

    static EpochWorkload Create(ArchitectureSpec spec, Func<string, double[]> parameters, uint seed, int threads, ScratchData data, int testCount)
    {
        var scorer = new OnnxRuntimeScorer(OnnxExporter.Export(spec, parameters, ModelProvenance.Initial(seed)),
            threads, [spec.Input.Channels, spec.Input.Height, spec.Input.Width]);
        // The images are converted once, outside the timed pass, as a deployment keeps its input in float32.
        var images = new float[testCount * spec.Input.Size];
        for (int i = 0; i < images.Length; i++) images[i] = (float)data.TestImages[i];
        return new EpochWorkload(Name, () => (0, EpochBench.Time(() => scorer.Score(images, testCount))), InferenceOnly: true,
            Owned: scorer);
    }
}
