using CnnParity.Core.Architecture;
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

    public static EpochWorkload Create(ScratchConfig config, ScratchData data)
    {
        var spec = ArchitectureSpec.Chapter10(config.Kernels, config.Grid);
        var network = ScratchNetwork.Initialize(config, new NumPyRandomState(config.Seed));
        var parameters = Chapter10Parameters.FromScratch(spec, network.Kernels, network.WeightsOneTwo);
        var scorer = new OnnxRuntimeScorer(OnnxExporter.Export(spec, name => parameters[name], ModelProvenance.Initial(config.Seed)),
            config.Threads, [spec.Input.Channels, spec.Input.Height, spec.Input.Width]);
        // The images are converted once, outside the timed pass, as a deployment keeps its input in float32.
        var images = new float[config.TestCount * ScratchConfig.Pixels];
        for (int i = 0; i < images.Length; i++) images[i] = (float)data.TestImages[i];
        return new EpochWorkload(Name, () => (0, EpochBench.Time(() => scorer.Score(images, config.TestCount))), InferenceOnly: true,
            Owned: scorer);
    }
}
