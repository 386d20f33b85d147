using CnnParity.Core;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Every named layer's output, and the loss, of the from-scratch engine and its TorchSharp twin judged against the float64
/// truth: on the first training batch with its dropout masks, and on the test images without dropout (in chunks, so no
/// test set's activations sit in memory at once). Rows are named by the spec's layer names (ch10's too: conv1, crop,
/// tanh1, dropout1, flatten, dense1, loss). In float64 the truth is the opinion two of the three agree on
/// (<see cref="Float64Truth"/>: the float64 reference, the engine, the twin) within the network's float64 tolerance; in
/// float32 it is the reference computed from the float32 inputs, and each side must land within its rounding bound
/// (<see cref="RoundingBound"/>), a ReLU sign or max-pool pick that rounding decided being counted, not failed.
/// </summary>
public static class SpecForwardParity
{
    /// <summary>Test images per chunk.</summary>
    public const int Chunk = 250;

    /// <param name="sides">the two implementations judged (by default the setup's engine and twin at the initial parameters)</param>
    public static IReadOnlyList<TriagedCheck> Run(SpecParitySetup setup, Dtype dtype, TriageSides? sides = null)
    {
        sides ??= TriageSides.Of(setup);
        var spec = setup.Spec;
        bool f32 = dtype == Dtype.Float32;
        var (reference, masks, images) = FirstBatchInputs.Of(setup, dtype);
        using var engine = sides.Engine(dtype);
        using var twin = sides.Twin(dtype);
        var results = new List<TriagedCheck>();

        var first = new Judge(setup, dtype, reference, engine, twin);
        first.Chunk(images, setup.Batch, masks, 0, setup.FirstBatchLabels);
        results.AddRange(first.Checks("first batch", setup.Batch));

        int count = setup.Settings.TestCount, pixels = spec.Input.Size;
        var test = new Judge(setup, dtype, reference, engine, twin);
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var chunk = setup.Data.TestImages.AsSpan(start * pixels, n * pixels);
            test.Chunk(f32 ? Float32Inputs.Round(chunk) : chunk.ToArray(), n, null, start, default);
        }
        results.AddRange(test.Checks($"test set ({count}, eval)", count));
        return results;
    }

    // Every layer's judgement over one scope (a batch, or the test set chunk by chunk), and the loss's on a batch.
    sealed class Judge(SpecParitySetup setup, Dtype dtype, ReferenceNetwork reference, ISpecModel engine, ISpecModel twin)
    {
        readonly Dictionary<string, LayerJudge> layers = [];

        public void Chunk(double[] images, int batch, Func<string, double[]>? masks, int firstImage, ReadOnlySpan<byte> labels)
        {
            var spec = setup.Spec;
            var truth = reference.Forward(images, batch, masks);
            using var e = engine.Forward(images, batch, masks);
            using var t = twin.Forward(images, batch, masks);
            var truthDecisions = reference.Decisions(truth);
            var engineDecisions = BranchDecisions.FromOutputs(spec, images, batch, e.Output);
            var twinDecisions = BranchDecisions.FromOutputs(spec, images, batch, t.Output);
            for (int l = 0; l < spec.Layers.Count; l++)
            {
                var layer = spec.Layers[l];
                if (!layers.TryGetValue(layer.Name, out var judge))
                    layers[layer.Name] = judge = new LayerJudge(layer.Name, layer.Output.BatchShape(1)[1..], dtype, setup, engine.Name, twin.Name);
                judge.Add(truth.Output(l), e.Output(layer.Name), t.Output(layer.Name), (long)firstImage * layer.Output.Size);
                if (truthDecisions.Of(layer.Name) is { } decided)
                {
                    var only = new BranchDecisions(new Dictionary<string, int[]> { [layer.Name] = decided });
                    judge.AddFlips(DecisionFlips.Classify(truth, only, engineDecisions, dtype), DecisionFlips.Classify(truth, only, twinDecisions, dtype));
                }
            }
            if (labels.IsEmpty) return;
            var (loss, variance) = reference.Loss(truth, labels);
            var lossJudge = layers["loss"] = new LayerJudge("loss", [], dtype, setup, engine.Name, twin.Name);
            lossJudge.Add(new Carried([loss], [variance]), [e.Loss(labels)], [t.Loss(labels)], 0);
        }

        public IEnumerable<TriagedCheck> Checks(string scope, int images) => layers.Values.Select(l => l.Check(scope, images));
    }

    // One layer's meters: in float32 each side against the carried truth; in float64 the three opinions against each other.
    sealed class LayerJudge(string name, long[] imageShape, Dtype dtype, SpecParitySetup setup, string engineName, string twinName)
    {
        readonly TruthMeter engine = new(engineName), twin = new(twinName);
        readonly Float64Truth float64 = new([Sides.Reference, engineName, twinName], setup.Tolerances.Forward);
        BranchFlips engineFlips = BranchFlips.None, twinFlips = BranchFlips.None;
        bool decides;

        public void Add(Carried truth, double[] engineValues, double[] twinValues, long offset)
        {
            if (dtype == Dtype.Float64)
            {
                float64.Add([truth.Value, engineValues, twinValues], offset);
                return;
            }
            engine.Add(engineValues, truth, dtype, offset);
            twin.Add(twinValues, truth, dtype, offset);
        }

        public void AddFlips(BranchFlips engineChunk, BranchFlips twinChunk)
        {
            decides = true;
            engineFlips = engineFlips.Plus(engineChunk).Merged();
            twinFlips = twinFlips.Plus(twinChunk).Merged();
        }

        public TriagedCheck Check(string scope, int images)
        {
            long[] shape = name == "loss" ? [1] : [images, .. imageShape];
            if (dtype == Dtype.Float64)
            {
                var (truth, sides) = float64.Decide();
                return new TriagedCheck("forward", name, dtype, scope, shape, truth, setup.Tolerances.Forward.Name, sides);
            }
            return new TriagedCheck("forward", name, dtype, scope, shape, $"{Sides.Reference} from the float32 inputs", RoundingBound.Name,
                [engine.Result(decides ? engineFlips : null), twin.Result(decides ? twinFlips : null)]);
        }
    }
}
