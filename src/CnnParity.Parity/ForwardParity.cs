using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Testing;
using CnnParity.Torch;
using static TorchSharp.torch;

namespace CnnParity.Parity;

/// <summary>
/// Compares the forward pass layer by layer — conv output, tanh, post-dropout, logits, softmax — between the
/// from-scratch network and its TorchSharp twin started from the same weights: on the first training batch
/// (with the notebook's first dropout mask) and on the test images (no dropout).
/// </summary>
public static class ForwardParity
{
    /// <param name="twinSource">weights to load into the twin; the from-scratch initial weights unless a test
    /// wants to see the check fail</param>
    public static IReadOnlyList<LayerComparison> Run(ParitySetup setup, string dtype, int testCount, ScratchNetwork? twinSource = null)
    {
        var type = ParitySetup.DType(dtype);
        var tolerance = dtype == "f64" ? Tolerances.ForwardFloat64 : Tolerances.ForwardFloat32;
        using var trainer = new TwinTrainer(setup.Twin(twinSource ?? setup.Initial, type), setup.Config.Alpha);
        var results = new List<LayerComparison>();
        results.AddRange(FirstBatch(setup, trainer, dtype, tolerance));
        results.AddRange(TestSet(setup, trainer, dtype, tolerance, testCount));
        return results;
    }

    static IEnumerable<LayerComparison> FirstBatch(ParitySetup setup, TwinTrainer trainer, string dtype, Tolerance tolerance)
    {
        var state = setup.ForwardFirstBatch(setup.Initial);
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var twin = trainer.Network;
        var act = twin.Forward(trainer.Images(state.Layer0, state.BatchSize), trainer.DropoutScale(state.DropoutMask, state.BatchSize));
        var layout = setup.Layout;
        var pairs = new (string Layer, double[] Twin, double[] Scratch)[]
        {
            ("conv_output", layout.HiddenFromTorch<double>(TwinTrainer.AsDoubles(act.ConvOutput)), state.KernelOutput),
            ("tanh", layout.HiddenFromTorch<double>(TwinTrainer.AsDoubles(act.Tanh)), state.Layer1Tanh),
            ("dropout", layout.HiddenFromTorch<double>(TwinTrainer.AsDoubles(act.Dropped)), state.Layer1),
            ("logits", TwinTrainer.AsDoubles(act.Logits), state.Logits),
            ("softmax", TwinTrainer.AsDoubles(act.Logits.softmax(1)), state.Layer2),
        };
        return pairs.Select(p => Compare(p.Layer, dtype, "first batch", p.Twin, p.Scratch, tolerance)).ToList();
    }

    // The test pass in chunks, so that even 10,000 images x 676 x K activations never sit in memory at once.
    static IEnumerable<LayerComparison> TestSet(ParitySetup setup, TwinTrainer trainer, string dtype, Tolerance tolerance, int testCount)
    {
        var twin = trainer.Network;
        const int chunk = 500;
        bool f32 = dtype == "f32";
        var layers = new[] { "conv_output", "tanh", "logits", "softmax" };
        var meters = layers.ToDictionary(l => l, _ => new DistanceMeter(tolerance, f32 ? ScalarType.Float32 : ScalarType.Float64));
        var scratch = setup.Initial;
        var layout = setup.Layout;
        var state = new BatchState(setup.Config, chunk);
        var noDropout = Enumerable.Repeat(0.5, chunk * setup.Config.Hidden).ToArray(); // mask*2 == 1
        for (int start = 0; start < testCount; start += chunk)
        {
            int n = Math.Min(chunk, testCount - start);
            var images = setup.Data.TestImages.AsSpan(start * ScratchConfig.Pixels, n * ScratchConfig.Pixels);
            var chunkState = n == chunk ? state : new BatchState(setup.Config, n);
            scratch.Forward(chunkState, images, noDropout.AsSpan(0, n * setup.Config.Hidden));
            var scratchLogits = scratch.TestLogits(images.ToArray(), n);
            var scratchSoftmax = new double[n * 10];
            ScratchNetwork.Softmax(scratchLogits, scratchSoftmax, n, setup.Config.Exp);

            using var scope = NewDisposeScope();
            using var _ = no_grad();
            var act = twin.Forward(trainer.Images(images, n), null);
            meters["conv_output"].Add(layout.HiddenFromTorch<double>(TwinTrainer.AsDoubles(act.ConvOutput)), chunkState.KernelOutput);
            meters["tanh"].Add(layout.HiddenFromTorch<double>(TwinTrainer.AsDoubles(act.Tanh)), chunkState.Layer1Tanh);
            meters["logits"].Add(TwinTrainer.AsDoubles(act.Logits), scratchLogits);
            meters["softmax"].Add(TwinTrainer.AsDoubles(act.Logits.softmax(1)), scratchSoftmax);
        }
        return layers.Select(l => new LayerComparison(l, dtype, $"test set ({testCount})", meters[l].Result, tolerance, meters[l].Pass)).ToList();
    }

    static LayerComparison Compare(string layer, string dtype, string scope, double[] twin, double[] scratch, Tolerance tolerance)
    {
        var meter = new DistanceMeter(tolerance, dtype == "f32" ? ScalarType.Float32 : ScalarType.Float64);
        meter.Add(twin, scratch);
        return new LayerComparison(layer, dtype, scope, meter.Result, tolerance, meter.Pass);
    }
}
