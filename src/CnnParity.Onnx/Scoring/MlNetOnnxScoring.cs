using CnnParity.Core.Architecture;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace CnnParity.Onnx.Scoring;

/// <summary>
/// Scores an exported model the way an ML.NET application deploys one: the test images as an <see cref="IDataView"/>,
/// transformed by <c>ApplyOnnxModel</c> (Microsoft.ML.OnnxTransformer, which runs ONNX Runtime row by row), the two
/// output columns read back. The metrics come from ML.NET's multiclass evaluator over these scores (Reports/Metrics).
/// </summary>
public static class MlNetOnnxScoring
{
    /// <summary>The model's outputs for the first <paramref name="count"/> images (pixels/255, NCHW, image after image).</summary>
    public static OnnxOutputs Score(byte[] model, ArchitectureSpec spec, ReadOnlySpan<float> images, int count)
    {
        int pixels = spec.Input.Size;
        if (images.Length < count * pixels)
            throw new ArgumentException($"{images.Length} values for {count} images of {pixels}", nameof(images));
        var rows = new ImageRow[count];
        for (int i = 0; i < count; i++)
            rows[i] = new ImageRow { Input = images.Slice(i * pixels, pixels).ToArray() };

        var ml = new MLContext(seed: 0);
        var schema = SchemaDefinition.Create(typeof(ImageRow));
        // The input column carries the image's own shape, so the transformer feeds (1, C, H, W) per row.
        schema[OnnxFormat.Input].ColumnType = new VectorDataViewType(NumberDataViewType.Single, spec.Input.Channels, spec.Input.Height, spec.Input.Width);
        var data = ml.Data.LoadFromEnumerable(rows, schema);
        // The symbolic batch is 1 row at a time here; stating it gives the outputs a known size, which the evaluator needs.
        var shapes = new Dictionary<string, int[]>
        {
            [OnnxFormat.Input] = [1, spec.Input.Channels, spec.Input.Height, spec.Input.Width],
            [OnnxFormat.Logits] = [1, ArchitectureSpec.Classes],
            [OnnxFormat.Probabilities] = [1, ArchitectureSpec.Classes],
        };
        using var stream = new MemoryStream(model, writable: false);
        var transformer = ml.Transforms.ApplyOnnxModel([OnnxFormat.Logits, OnnxFormat.Probabilities], [OnnxFormat.Input], stream, shapes,
                gpuDeviceId: null, fallbackToCpu: false, recursionLimit: 100)
            .Fit(data);
        var scored = transformer.Transform(data);
        float[] logits = Flatten(scored.GetColumn<float[]>(OnnxFormat.Logits), count);
        float[] probabilities = Flatten(scored.GetColumn<float[]>(OnnxFormat.Probabilities), count);
        (transformer as IDisposable)?.Dispose();
        return new OnnxOutputs(count, logits, probabilities);
    }

    static float[] Flatten(IEnumerable<float[]> rows, int count)
    {
        int classes = ArchitectureSpec.Classes;
        var result = new float[count * classes];
        int i = 0;
        foreach (var row in rows)
        {
            if (row.Length != classes) throw new InvalidOperationException($"ApplyOnnxModel gave {row.Length} values for an image, not {classes}");
            row.CopyTo(result, i++ * classes);
        }
        if (i != count) throw new InvalidOperationException($"ApplyOnnxModel gave {i} rows for {count} images");
        return result;
    }

    /// <summary>One test image as ML.NET reads it: a column named as the model's input.</summary>
    sealed class ImageRow
    {
        [ColumnName(OnnxFormat.Input)]
        public float[] Input { get; set; } = [];
    }
}
