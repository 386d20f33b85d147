using CnnParity.Core;
using CnnParity.Parity.Results;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Compares every named layer's output, and the loss, between the from-scratch model and its twin started from the
/// same numbers: on the first training batch with its dropout masks, and on the test images without dropout (in
/// chunks, so no test set's activations sit in memory at once). Rows are named by the spec's layer names (ch10's too:
/// conv1, crop, tanh1, dropout1, flatten, dense1, loss), and judged by <see cref="RowJudge"/>.
/// </summary>
public static class SpecForwardParity
{
    /// <summary>Test images per chunk.</summary>
    public const int Chunk = 250;

    /// <param name="twinParameters">the twin's parameters by name; the initial ones unless a test wants to see the check fail</param>
    public static IReadOnlyList<LayerComparison> Run(SpecParitySetup setup, Dtype dtype, Func<string, double[]>? twinParameters = null)
    {
        var tolerance = setup.Tolerances.Forward(dtype);
        var layers = setup.Spec.Layers.Select(l => l.Name).ToList();
        using var scratch = setup.Scratch(dtype);
        using var twin = setup.Twin(dtype, twinParameters);
        var results = new List<LayerComparison>();

        using (var s = scratch.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks))
        using (var t = twin.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks))
        {
            foreach (string layer in layers)
                results.Add(RowJudge.Layer(layer, dtype, "first batch", t.Output(layer), s.Output(layer), tolerance));
            results.Add(RowJudge.Layer("loss", dtype, "first batch", [t.Loss(setup.FirstBatchLabels)], [s.Loss(setup.FirstBatchLabels)], tolerance));
        }

        int count = setup.Settings.TestCount, pixels = setup.Spec.Input.Size;
        var rows = layers.ToDictionary(l => l, _ => new RowJudge(tolerance, dtype));
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var images = setup.Data.TestImages.AsSpan(start * pixels, n * pixels);
            using var s = scratch.Forward(images, n, null);
            using var t = twin.Forward(images, n, null);
            foreach (string layer in layers) rows[layer].Add(t.Output(layer), s.Output(layer));
        }
        results.AddRange(layers.Select(l => rows[l].Layer(l, $"test set ({count}, eval)")));
        return results;
    }
}
