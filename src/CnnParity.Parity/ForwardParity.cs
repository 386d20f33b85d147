using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Testing;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Parity;

/// <summary>
/// Compares the forward pass layer by layer — conv output, tanh, post-dropout, logits, softmax — between the
/// from-scratch network and its TorchSharp twin started from the same weights: on the first training batch
/// (with the notebook's first dropout mask) and on the test images (the test pass: no dropout on either side,
/// <see cref="ScratchNetwork.HiddenLayer"/> and the twin's forward without a dropout scale).
/// </summary>
public static class ForwardParity
{
    /// <param name="twinSource">weights to load into the twin; the from-scratch initial weights unless a test
    /// wants to see the check fail</param>
    public static IReadOnlyList<LayerComparison> Run(ParitySetup setup, Dtype dtype, int testCount, ScratchNetwork? twinSource = null)
    {
        var tolerance = dtype == Dtype.Float64 ? Tolerances.ForwardFloat64 : Tolerances.ForwardFloat32;
        using var twin = setup.Twin(twinSource ?? setup.Initial, dtype);
        var results = new List<LayerComparison>();
        results.AddRange(FirstBatch(setup, twin, dtype, tolerance));
        results.AddRange(TestSet(setup, twin, dtype, tolerance, testCount));
        return results;
    }

    static IEnumerable<LayerComparison> FirstBatch(ParitySetup setup, TwinNetwork twin, Dtype dtype, Tolerance tolerance)
    {
        var state = setup.ForwardFirstBatch(setup.Initial);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var act = twin.Forward(twin.Images(state.Layer0, state.BatchSize), twin.DropoutScale(state.DropoutMask, state.BatchSize));
        var layout = setup.Layout;
        var pairs = new (string Layer, double[] Twin, double[] Scratch)[]
        {
            ("conv_output", layout.HiddenFromTorch<double>(SpecLayout.ToDoubles(act.ConvOutput)), state.KernelOutput),
            ("tanh", layout.HiddenFromTorch<double>(SpecLayout.ToDoubles(act.Tanh)), state.Layer1Tanh),
            ("dropout", layout.HiddenFromTorch<double>(SpecLayout.ToDoubles(act.Dropped)), state.Layer1),
            ("logits", SpecLayout.ToDoubles(act.Logits), state.Logits),
            ("softmax", SpecLayout.ToDoubles(act.Logits.softmax(1)), state.Layer2),
        };
        return pairs.Select(p => Compare(p.Layer, dtype, "first batch", p.Twin, p.Scratch, tolerance)).ToList();
    }

    // The test pass in chunks, so that even 10,000 images x 676 x K activations never sit in memory at once.
    static IEnumerable<LayerComparison> TestSet(ParitySetup setup, TwinNetwork twin, Dtype dtype, Tolerance tolerance, int testCount)
    {
        const int chunk = 500;
        var layers = new[] { "conv_output", "tanh", "logits", "softmax" };
        var meters = layers.ToDictionary(l => l, _ => new DistanceMeter(tolerance, TwinDtype.Of(dtype)));
        var scratch = setup.Initial;
        var layout = setup.Layout;
        var state = new BatchState(setup.Config, chunk);
        for (int start = 0; start < testCount; start += chunk)
        {
            int n = Math.Min(chunk, testCount - start);
            var images = setup.Data.TestImages.AsSpan(start * ScratchConfig.Pixels, n * ScratchConfig.Pixels);
            var chunkState = n == chunk ? state : new BatchState(setup.Config, n);
            scratch.HiddenLayer(chunkState, images);
            var scratchLogits = scratch.TestLogits(images.ToArray(), n);
            var scratchSoftmax = new double[n * ArchitectureSpec.Classes];
            ScratchNetwork.Softmax(scratchLogits, scratchSoftmax, n, setup.Config.Exp);

            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var act = twin.Forward(twin.Images(images, n), null);
            meters["conv_output"].Add(layout.HiddenFromTorch<double>(SpecLayout.ToDoubles(act.ConvOutput)), chunkState.KernelOutput);
            meters["tanh"].Add(layout.HiddenFromTorch<double>(SpecLayout.ToDoubles(act.Tanh)), chunkState.Layer1Tanh);
            meters["logits"].Add(SpecLayout.ToDoubles(act.Logits), scratchLogits);
            meters["softmax"].Add(SpecLayout.ToDoubles(act.Logits.softmax(1)), scratchSoftmax);
        }
        return layers.Select(l => new LayerComparison(l, dtype, $"test set ({testCount})", meters[l].Result, tolerance, meters[l].Pass)).ToList();
    }

    static LayerComparison Compare(string layer, Dtype dtype, string scope, double[] twin, double[] scratch, Tolerance tolerance)
    {
        var meter = new DistanceMeter(tolerance, TwinDtype.Of(dtype));
        meter.Add(twin, scratch);
        return new LayerComparison(layer, dtype, scope, meter.Result, tolerance, meter.Pass);
    }
}
