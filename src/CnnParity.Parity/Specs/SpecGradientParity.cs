using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The gradient of the first batch's loss (mean cross-entropy, or ch10's Σ/B²; its dropout masks held fixed) for every
/// named parameter, from the engine's backward pass ("manual") and the twin's autograd, judged against the float64 truth.
/// In float64 two of the three opinions (reference, engine, twin) that agree make the truth, and central finite
/// differences of the engine's float64 loss, on a sample of each tensor, judge both sides once more. In float32 each side
/// is judged against the reference's gradient routed through that side's own branch decisions: where rounding flipped a
/// ReLU sign or a max-pool pick, the side's gradient follows another piece of the loss, and the truth follows it there
/// too; such flips are counted on the gradients of the parameters upstream of them, and a flip rounding cannot explain
/// fails the side.
/// </summary>
public static class SpecGradientParity
{
    /// <summary>How the finite-difference rows are scoped.</summary>
    public const string FiniteDifferences = "finite differences";

    /// <param name="sides">the two implementations judged (by default the setup's engine and twin at the initial parameters)</param>
    public static IReadOnlyList<TriagedCheck> Run(SpecParitySetup setup, Dtype dtype, TriageSides? sides = null)
    {
        sides ??= TriageSides.Of(setup);
        var spec = setup.Spec;
        bool f32 = dtype == Dtype.Float32;
        var (reference, masks, images) = FirstBatchInputs.Of(setup, dtype);
        var labels = setup.FirstBatchLabels;
        var truth = reference.Forward(images, setup.Batch, masks);

        var judged = new List<(string Name, IReadOnlyDictionary<string, double[]> Gradients, BranchDecisions Decisions)>();
        foreach (var model in new[] { sides.Engine(dtype), sides.Twin(dtype) })
        {
            using (model)
            using (var pass = model.Forward(images, setup.Batch, masks))
                judged.Add((model.Name, pass.Gradients(labels), BranchDecisions.FromOutputs(spec, images, setup.Batch, pass.Output)));
        }
        return f32 ? Float32(spec, reference, truth, labels, judged) : [.. Float64(setup, reference, truth, labels, judged)];
    }

    static IEnumerable<TriagedCheck> Float64(SpecParitySetup setup, ReferenceNetwork reference, ReferencePass truth, ReadOnlySpan<byte> labels,
        List<(string Name, IReadOnlyDictionary<string, double[]> Gradients, BranchDecisions Decisions)> sides)
    {
        var spec = setup.Spec;
        var truthGradients = reference.Backward(truth, labels);
        var tolerance = setup.Tolerances.Gradient;
        var checks = new List<TriagedCheck>();
        foreach (var p in spec.Parameters)
        {
            var judge = new Float64Truth([Sides.Reference, .. sides.Select(s => s.Name)], tolerance);
            judge.Add([truthGradients[p.Name].Value, .. sides.Select(s => s.Gradients[p.Name])]);
            var (source, distances) = judge.Decide();
            checks.Add(new TriagedCheck("gradient", p.Name, Dtype.Float64, "first batch", p.Shape, source, tolerance.Name, distances));
        }

        // Central differences: the engine's float64 loss stepped ±h on a sample of entries, a derivative neither side computed.
        var probes = FiniteDifferenceProbes(setup);
        var finite = setup.Tolerances.FiniteDifference;
        foreach (var p in spec.Parameters)
        {
            var (indices, estimate, crossed) = probes[p.Name];
            var measured = sides.Select(s =>
            {
                var meter = new TruthMeter(s.Name);
                meter.Add([.. indices.Select(i => s.Gradients[p.Name][i])], estimate, finite);
                return meter.Result();
            }).ToList();
            string truthText = $"central differences of the engine's float64 loss at {indices.Length} entries" +
                               (crossed > 0 ? $" ({crossed} passed over: their step crossed a kink)" : "");
            checks.Add(new TriagedCheck("gradient", p.Name, Dtype.Float64, FiniteDifferences, [indices.Length], truthText, finite.Name, measured));
        }
        return checks;
    }

    static List<TriagedCheck> Float32(ArchitectureSpec spec, ReferenceNetwork reference, ReferencePass truth, ReadOnlySpan<byte> labels,
        List<(string Name, IReadOnlyDictionary<string, double[]> Gradients, BranchDecisions Decisions)> sides)
    {
        var truthDecisions = reference.Decisions(truth);
        var judged = new List<Dictionary<string, SideDistance>>();
        foreach (var side in sides)
        {
            var flips = DecisionFlips.Classify(truth, truthDecisions, side.Decisions, Dtype.Float32);
            var along = reference.Backward(truth, labels, side.Decisions);
            judged.Add(spec.Parameters.ToDictionary(p => p.Name, p =>
            {
                var meter = new TruthMeter(side.Name);
                meter.Add(side.Gradients[p.Name], along[p.Name], Dtype.Float32);
                return meter.Result(Upstream(flips, spec, p.Layer.Position));
            }));
        }
        return [.. spec.Parameters.Select(p => new TriagedCheck("gradient", p.Name, Dtype.Float32, "first batch", p.Shape,
            $"{Sides.Reference} from the float32 inputs, along each side's branch decisions", RoundingBound.Name,
            [.. judged.Select(j => j[p.Name])]))];
    }

    // The flips a parameter's gradient passes through: those in branch layers after its own (null: there are none).
    static BranchFlips? Upstream(BranchFlips flips, ArchitectureSpec spec, int position)
    {
        if (!spec.Layers.Any(l => l.Position > position && BranchDecisions.IsBranch(l))) return null;
        var after = flips.Layers.Where(l => spec.Layer(l.Layer).Position > position).ToList();
        return new BranchFlips(after.Sum(l => l.Decided), after.Sum(l => l.Beyond), after.FirstOrDefault(l => l.Beyond > 0).Layer, after);
    }

    /// <summary>
    /// Central differences of the float64 from-scratch loss, per parameter: the entries probed, their estimates, and how
    /// many candidate entries were passed over because their step crossed a kink (changed a branch decision: the loss is
    /// piecewise smooth, and such a step measures no derivative).
    /// </summary>
    public static Dictionary<string, (int[] Indices, double[] Gradient, int Crossed)> FiniteDifferenceProbes(SpecParitySetup setup)
    {
        using var model = setup.Scratch(Dtype.Float64);
        bool kinks = BranchDecisions.HasBranches(setup.Spec);
        var (_, basePattern) = Evaluate(model, setup, kinks);
        var probes = new Dictionary<string, (int[], double[], int)>();
        foreach (var p in setup.Spec.Parameters)
        {
            var values = model.Parameter(p.Name);
            var indices = new List<int>();
            var gradient = new List<double>();
            int crossed = 0;
            foreach (int i in Candidates(p.Size, setup.Settings.FiniteDifferenceSample))
            {
                if (indices.Count == setup.Settings.FiniteDifferenceSample) break;
                double saved = values[i], h = Tolerances.FiniteDifferenceStep;
                model.SetParameter(p.Name, i, saved + h);
                var (up, upPattern) = Evaluate(model, setup, kinks);
                model.SetParameter(p.Name, i, saved - h);
                var (down, downPattern) = Evaluate(model, setup, kinks);
                model.SetParameter(p.Name, i, saved);
                if (kinks && !(basePattern!.Equals(upPattern) && basePattern.Equals(downPattern)))
                {
                    crossed++; // the step crossed a kink: not a derivative
                    continue;
                }
                indices.Add(i);
                gradient.Add((up - down) / (2 * h));
            }
            probes[p.Name] = (indices.ToArray(), gradient.ToArray(), crossed);
        }
        return probes;
    }

    // The even sample first; then, to replace probes that crossed a kink, a denser even sample in order.
    static IEnumerable<int> Candidates(int size, int sample)
    {
        var first = EvenSample.Indices(size, sample);
        return first.Concat(EvenSample.Indices(size, Math.Min(size, 8 * sample)).Except(first));
    }

    static (double Loss, BranchDecisions? Pattern) Evaluate(ISpecModel model, SpecParitySetup setup, bool kinks)
    {
        using var pass = model.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks);
        return (pass.Loss(setup.FirstBatchLabels), kinks ? BranchDecisions.FromOutputs(setup.Spec, setup.FirstBatchImages, setup.Batch, pass.Output) : null);
    }
}
