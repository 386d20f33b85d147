using Microsoft.ML.OnnxRuntime;

namespace CnnParity.Onnx.Scoring;

/// <summary>
/// Runs an exported model in ONNX Runtime (Microsoft.ML.OnnxRuntime, CPU execution provider), in float32: its CPU Conv
/// has no float64 kernel. Images go in batches through the dynamic batch dimension.
/// </summary>
/// <remarks>
/// Threads: intra-op threads split a Gemm or Conv by output blocks (MLAS), never one output's sum, so the bits do not
/// depend on the thread count (a test holds 1 and 2 threads to the same bits); inter-op parallelism is off, the graph is
/// a chain. Graph optimisations stay at ONNX Runtime's default (all), as a deployment would run the model.
/// </remarks>
public sealed class OnnxRuntimeScorer : IDisposable
{
    /// <summary>Images per Run: large enough that the per-call overhead vanishes, small enough to keep activations in cache.</summary>
    public const int DefaultBatch = 500;

    readonly InferenceSession session;
    readonly RunOptions run = new();
    readonly long[] imageShape;

    /// <param name="model">the .onnx file's bytes</param>
    /// <param name="imageShape">one image's shape (channels, height, width): the input is (batch, C, H, W)</param>
    public OnnxRuntimeScorer(byte[] model, int threads, long[] imageShape)
    {
        using var options = new SessionOptions
        {
            IntraOpNumThreads = threads,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        session = new InferenceSession(model, options);
        this.imageShape = imageShape;
    }

    /// <summary>The native ONNX Runtime's version, e.g. "1.31.1".</summary>
    public static string RuntimeVersion => OrtEnv.Instance().GetVersionString();

    /// <summary>Both outputs for the first <paramref name="count"/> images (pixels/255, NCHW, image after image).</summary>
    public OnnxOutputs Score(ReadOnlySpan<float> images, int count, int batch = DefaultBatch)
    {
        int pixels = (int)(imageShape[0] * imageShape[1] * imageShape[2]);
        if (images.Length < count * pixels)
            throw new ArgumentException($"{images.Length} values for {count} images of {pixels}", nameof(images));
        int classes = Core.Architecture.ArchitectureSpec.Classes;
        var logits = new float[count * classes];
        var probabilities = new float[count * classes];
        string[] inputs = [OnnxFormat.Input], outputs = [OnnxFormat.Logits, OnnxFormat.Probabilities];
        var buffer = new float[Math.Min(batch, count) * pixels];
        for (int start = 0; start < count; start += batch)
        {
            int n = Math.Min(batch, count - start);
            images.Slice(start * pixels, n * pixels).CopyTo(buffer);
            using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, buffer.AsMemory(0, n * pixels),
                [n, imageShape[0], imageShape[1], imageShape[2]]);
            using var results = session.Run(run, inputs, [input], outputs);
            results[0].GetTensorDataAsSpan<float>().CopyTo(logits.AsSpan(start * classes, n * classes));
            results[1].GetTensorDataAsSpan<float>().CopyTo(probabilities.AsSpan(start * classes, n * classes));
        }
        return new OnnxOutputs(count, logits, probabilities);
    }

    public void Dispose()
    {
        run.Dispose();
        session.Dispose();
    }
}
