using CnnParity.Core;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Triage;

/// <summary>
/// Every named layer's output, and the loss, judged against the float64 truth: on the first training batch with its
/// dropout masks, and on the test images without dropout (in chunks). In float64 the truth is the float64 opinion two of
/// the three agree on (<see cref="Float64Truth"/>: the reference, the engine, the twin) within the float64 tolerance; in
/// float32 it is the reference computed from the float32 inputs, and each side must land within its rounding bound
/// (<see cref="RoundingBound"/>), a ReLU sign or max-pool pick that rounding decided being counted, not failed.
/// </summary>
public static class TriagedForward
{
    /// <summary>Test images per chunk.</summary>
    public const int Chunk = 250;

    public const string Reference = "float64 reference";

    /// <param name="batchPower">the loss is Σ CE / B^batchPower (1: the mean; 2: chapter 10)</param>
    /// <param name="sides">the two implementations judged (by default the setup's engine and twin at the initial parameters)</param>
    public static IReadOnlyList<TriagedCheck> Run(SpecParitySetup setup, Dtype dtype, int batchPower = 1, TriageSides? sides = null)
    {
        sides ??= TriageSides.Of(setup);
        var spec = setup.Spec;
        Func<string, double[]> initial = name => setup.Initial[name];
        bool f32 = dtype == Dtype.Float32;
        var parameters = f32 ? Float32Inputs.Round(initial) : initial;
        Func<string, double[]> masks = f32 ? Float32Inputs.Round(setup.Masks) : setup.Masks;
        var reference = new ReferenceNetwork(spec, parameters, batchPower);
        using var engine = sides.Engine(dtype);
        using var twin = sides.Twin(dtype);
        var results = new List<TriagedCheck>();
        string[] layers = [.. spec.Layers.Select(l => l.Name)];

        var images = f32 ? Float32Inputs.Round(setup.FirstBatchImages) : setup.FirstBatchImages.ToArray();
        var labels = setup.FirstBatchLabels;
        var judge = new Judge(setup, dtype, reference, engine, twin);
        var first = judge.Chunk(images, setup.Batch, masks, 0, labels);
        results.AddRange(first.Select(j => j.Check("first batch", setup.Batch)));

        int count = setup.Settings.TestCount, pixels = spec.Input.Size;
        var test = new Judge(setup, dtype, reference, engine, twin);
        for (int start = 0; start < count; start += Chunk)
        {
            int n = Math.Min(Chunk, count - start);
            var chunk = setup.Data.TestImages.AsSpan(start * pixels, n * pixels);
            test.Chunk(f32 ? Float32Inputs.Round(chunk) : chunk.ToArray(), n, null, start, default);
        }
        results.AddRange(test.Layers.Select(j => j.Check($"test set ({count}, eval)", count)));
        return results;
    }

    // The judgement of every layer over one scope (a batch, or the test set chunk by chunk).
    private sealed class Judge(SpecParitySetup setup, Dtype dtype, ReferenceNetwork reference, ISpecModel engine, ISpecModel twin)
    {
        private readonly Dictionary<string, LayerJudge> _layers = [];

        public IEnumerable<LayerJudge> Layers => _layers.Values.Where(l => l.Name != "loss");

        public IReadOnlyList<LayerJudge> Chunk(double[] images, int batch, Func<string, double[]>? masks, int firstImage, ReadOnlySpan<byte> labels)
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
                var judge = _layers.TryGetValue(layer.Name, out var j) ? j : _layers[layer.Name] = new LayerJudge(layer.Name, layer.Output.BatchShape(1)[1..], dtype, engine.Name, twin.Name);
                long offset = (long)firstImage * layer.Output.Size;
                judge.Add(truth.Output(l), e.Output(layer.Name), t.Output(layer.Name), offset);
                if (truthDecisions.Of(layer.Name) is not null)
                    judge.AddFlips(Only(layer.Name, truth, truthDecisions, engineDecisions), Only(layer.Name, truth, truthDecisions, twinDecisions));
            }
            if (labels.IsEmpty) return [.. _layers.Values];
            var (loss, variance) = reference.Loss(truth, labels);
            var lossJudge = _layers["loss"] = new LayerJudge("loss", [], dtype, engine.Name, twin.Name);
            lossJudge.Add(new Carried([loss], [variance]), [e.Loss(labels)], [t.Loss(labels)], 0);
            return [.. _layers.Values];
        }

        private BranchFlips Only(string layer, ReferencePass truth, BranchDecisions truthDecisions, BranchDecisions side) =>
            DecisionFlips.Classify(truth, new BranchDecisions(new Dictionary<string, int[]> { [layer] = truthDecisions.Of(layer)! }), side, dtype);
    }

    // One layer's meters: in float32 each side against the carried truth; in float64 the three opinions against each other.
    private sealed class LayerJudge(string name, long[] imageShape, Dtype dtype, string engineName, string twinName)
    {
        private readonly TruthMeter _engine = new(engineName), _twin = new(twinName);
        private readonly Float64Truth _float64 = new([Reference, engineName, twinName], Tolerances.SpecForward(Dtype.Float64));
        private BranchFlips _engineFlips = BranchFlips.None, _twinFlips = BranchFlips.None;
        private bool _decides;

        public string Name { get; } = name;

        public void Add(Carried truth, double[] engine, double[] twin, long offset)
        {
            if (dtype == Dtype.Float64)
            {
                _float64.Add([truth.Value, engine, twin], offset);
                return;
            }
            _engine.Add(engine, truth, dtype, offset);
            _twin.Add(twin, truth, dtype, offset);
        }

        public void AddFlips(BranchFlips engine, BranchFlips twin)
        {
            _decides = true;
            _engineFlips = Merge(_engineFlips, engine);
            _twinFlips = Merge(_twinFlips, twin);
        }

        // One layer's flips over many chunks: the counts add up under the one layer name.
        private static BranchFlips Merge(BranchFlips a, BranchFlips b)
        {
            long decided = a.Decided + b.Decided, beyond = a.Beyond + b.Beyond;
            string layer = a.Layers.Concat(b.Layers).Select(l => l.Layer).FirstOrDefault() ?? "";
            return decided + beyond == 0 ? BranchFlips.None : new BranchFlips(decided, beyond, beyond > 0 ? layer : null, [(layer, decided, beyond)]);
        }

        public TriagedCheck Check(string scope, int images)
        {
            long[] shape = Name == "loss" ? [1] : [images, .. imageShape];
            if (dtype == Dtype.Float64)
            {
                var (truth, sides) = _float64.Decide();
                return new TriagedCheck("forward", Name, dtype, scope, shape, truth, Tolerances.SpecForward(Dtype.Float64).Name, sides);
            }
            return new TriagedCheck("forward", Name, dtype, scope, shape, $"{Reference} from the float32 inputs", "rounding bound",
                [_engine.Result(_decides ? _engineFlips : null), _twin.Result(_decides ? _twinFlips : null)]);
        }
    }
}
