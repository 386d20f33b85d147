using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Triage;

/// <summary>
/// The gradient of the first batch's loss (its dropout masks held fixed) for every named parameter, judged against the
/// float64 truth: the engine's backward pass ("manual") and the twin's autograd. In float64 two of the three opinions
/// (reference, engine, twin) that agree make the truth. In float32 each side is judged against the reference's gradient
/// routed through that side's own branch decisions: where rounding flipped a ReLU sign or a max-pool pick, the side's
/// gradient follows another piece of the loss, and the truth follows it there too. Such flips are counted on the gradients
/// of the parameters upstream of them; a flip rounding cannot explain fails the side.
/// </summary>
public static class TriagedGradients
{
    /// <param name="batchPower">the loss is Σ CE / B^batchPower (1: the mean; 2: chapter 10)</param>
    /// <param name="sides">the two implementations judged (by default the setup's engine and twin at the initial parameters)</param>
    public static IReadOnlyList<TriagedCheck> Run(SpecParitySetup setup, Dtype dtype, int batchPower = 1, TriageSides? sides = null)
    {
        sides ??= TriageSides.Of(setup);
        var spec = setup.Spec;
        bool f32 = dtype == Dtype.Float32;
        Func<string, double[]> initial = name => setup.Initial[name];
        var parameters = f32 ? Float32Inputs.Round(initial) : initial;
        Func<string, double[]> masks = f32 ? Float32Inputs.Round(setup.Masks) : setup.Masks;
        var images = f32 ? Float32Inputs.Round(setup.FirstBatchImages) : setup.FirstBatchImages.ToArray();
        var labels = setup.FirstBatchLabels;
        var reference = new ReferenceNetwork(spec, parameters, batchPower);
        var truth = reference.Forward(images, setup.Batch, masks);
        var truthDecisions = reference.Decisions(truth);

        var judgedSides = new List<(string Name, IReadOnlyDictionary<string, double[]> Gradients, BranchDecisions Decisions)>();
        foreach (var model in new[] { sides.Engine(dtype), sides.Twin(dtype) })
        {
            using (model)
            using (var pass = model.Forward(images, setup.Batch, masks))
                judgedSides.Add((model.Name, pass.Gradients(labels), BranchDecisions.FromOutputs(spec, images, setup.Batch, pass.Output)));
        }

        if (!f32)
        {
            var truthGradients = reference.Backward(truth, labels);
            return spec.Parameters.Select(p =>
            {
                var judge = new Float64Truth([TriagedForward.Reference, .. judgedSides.Select(s => s.Name)], Tolerances.SpecGradient(Dtype.Float64));
                judge.Add([truthGradients[p.Name].Value, .. judgedSides.Select(s => s.Gradients[p.Name])]);
                var (source, distances) = judge.Decide();
                return new TriagedCheck("gradient", p.Name, dtype, "first batch", p.Shape, source, Tolerances.SpecGradient(Dtype.Float64).Name, distances);
            }).ToList();
        }

        // Float32: each side against the truth along its own branches.
        var judged = new List<Dictionary<string, SideDistance>>();
        foreach (var side in judgedSides)
        {
            var flips = DecisionFlips.Classify(truth, truthDecisions, side.Decisions, dtype);
            var along = reference.Backward(truth, labels, side.Decisions);
            judged.Add(spec.Parameters.ToDictionary(p => p.Name, p =>
            {
                var meter = new TruthMeter(side.Name);
                meter.Add(side.Gradients[p.Name], along[p.Name], dtype);
                return meter.Result(Upstream(flips, spec, p.Layer.Position));
            }));
        }
        return spec.Parameters.Select(p => new TriagedCheck("gradient", p.Name, dtype, "first batch", p.Shape,
            $"{TriagedForward.Reference} from the float32 inputs, along each side's branch decisions", "rounding bound",
            judged.Select(j => j[p.Name]).ToList())).ToList();
    }

    // The flips a parameter's gradient passes through: those in branch layers after its own (null: there are none).
    private static BranchFlips? Upstream(BranchFlips flips, ArchitectureSpec spec, int position)
    {
        if (!spec.Layers.Any(l => l.Position > position && BranchDecisions.IsBranch(l))) return null;
        var after = flips.Layers.Where(l => spec.Layer(l.Layer).Position > position).ToList();
        return new BranchFlips(after.Sum(l => l.Decided), after.Sum(l => l.Beyond), after.FirstOrDefault(l => l.Beyond > 0).Layer, after);
    }
}
