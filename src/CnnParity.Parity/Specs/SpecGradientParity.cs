using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Results;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Gradients of the loss of the first batch (mean cross-entropy, or ch10's Σ/B²; its dropout masks held fixed) for every named parameter,
/// from three sources: the from-scratch backward pass ("manual"), TorchSharp autograd, and — in float64 — central finite
/// differences of the from-scratch loss on a sample of each tensor. A probe whose ±h step crosses a ReLU or max-pool
/// kink (<see cref="KinkPattern"/>) measures no derivative and is replaced by the next candidate entry.
/// </summary>
public static class SpecGradientParity
{
    public const string AutogradVsManual = "autograd vs manual", ManualVsFiniteDifferences = "manual vs finite differences",
        AutogradVsFiniteDifferences = "autograd vs finite differences";

    /// <param name="twinParameters">the twin's parameters; the initial ones unless a test wants to see the check fail</param>
    public static IReadOnlyList<GradientComparison> Run(SpecParitySetup setup, Dtype dtype, Func<string, double[]>? twinParameters = null)
    {
        bool f32 = dtype == Dtype.Float32;
        var tolerance = setup.Tolerances.Gradient(dtype);
        IReadOnlyDictionary<string, double[]> manual, autograd;
        using (var scratch = setup.Scratch(dtype))
        using (var pass = scratch.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks))
            manual = pass.Gradients(setup.FirstBatchLabels);
        using (var twin = setup.Twin(dtype, twinParameters))
        using (var pass = twin.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks))
            autograd = pass.Gradients(setup.FirstBatchLabels);

        var parameters = setup.Spec.Parameters;
        var results = parameters.Select(p => RowJudge.Gradient(p.Name, dtype, AutogradVsManual, autograd[p.Name], manual[p.Name], tolerance)).ToList();
        if (f32) return results; // finite differences are a float64 instrument

        var probes = FiniteDifferenceProbes(setup);
        var finite = setup.Tolerances.FiniteDifference;
        results.AddRange(parameters.Select(p => RowJudge.Gradient(p.Name, dtype, ManualVsFiniteDifferences,
            Pick(manual[p.Name], probes[p.Name].Indices), probes[p.Name].Gradient, finite)));
        results.AddRange(parameters.Select(p => RowJudge.Gradient(p.Name, dtype, AutogradVsFiniteDifferences,
            Pick(autograd[p.Name], probes[p.Name].Indices), probes[p.Name].Gradient, finite)));
        return results;
    }

    /// <summary>
    /// Central differences of the float64 from-scratch loss, per parameter: the entries probed, their estimates, and how
    /// many candidate entries were passed over because their step crossed a kink.
    /// </summary>
    public static Dictionary<string, (int[] Indices, double[] Gradient, int Crossed)> FiniteDifferenceProbes(SpecParitySetup setup)
    {
        using var model = setup.Scratch(Dtype.Float64);
        bool kinks = KinkPattern.HasKinks(setup.Spec);
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

    static (double Loss, KinkPattern? Pattern) Evaluate(ISpecModel model, SpecParitySetup setup, bool kinks)
    {
        using var pass = model.Forward(setup.FirstBatchImages, setup.Batch, setup.Masks);
        return (pass.Loss(setup.FirstBatchLabels), kinks ? new KinkPattern(setup.Spec, setup.FirstBatchImages, pass.Output) : null);
    }

    static double[] Pick(double[] values, int[] indices) => indices.Select(i => values[i]).ToArray();
}
