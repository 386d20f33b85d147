using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The first optimizer step of a float64 lockstep run, judged as a third opinion would judge it: from the same starting
/// weights, the float64 reference's gradient of the first batch (its masks) and the update the run's torch.optim optimizer
/// makes on its first step, written as PyTorch documents the algorithm (<see cref="Update"/>). Two of the reference, the
/// engine and the twin that agree make the truth, so a side whose update rule is off (a wrong rate, a missing bias
/// correction, eps inside the square root, weight decay coupled where it should be decoupled) is named — which the drift
/// between engine and twin alone cannot say.
/// </summary>
public static class FirstStepParity
{
    public const string Scope = "first step";

    /// <param name="start">the weights both sides started from</param>
    /// <param name="engine">the engine's weights after its first step</param>
    /// <param name="twin">the twin's weights after its first step, by name</param>
    /// <param name="learningRate">the rate of the first step</param>
    public static IReadOnlyList<TriagedCheck> Judge(SpecParitySetup setup, ParameterSet<double> start, ReadOnlySpan<double> images,
        ReadOnlySpan<byte> labels, DropoutMasks masks, ParameterSet<double> engine, Func<string, double[]> twin, double learningRate)
    {
        var spec = setup.Spec;
        var optimizer = setup.Settings.Optimizer;
        var reference = new ReferenceNetwork(spec, name => start[name], setup.Options.Loss);
        var pass = reference.Forward(images, setup.Batch, name => masks[name]);
        var gradients = reference.Backward(pass, labels);
        // Adam scales a gradient's rounding near zero by up to lr/eps: its own tolerance, derived from the gradient's.
        var tolerance = optimizer.IsAdam ? Tolerances.FirstAdamStepFloat64(setup.Tolerances, learningRate, optimizer.Eps) : setup.Tolerances.Forward;
        return [.. spec.Parameters.Select(p =>
        {
            double[] before = start[p.Name], g = gradients[p.Name].Value, after = new double[before.Length];
            for (int i = 0; i < after.Length; i++) after[i] = Update(optimizer, learningRate, before[i], g[i]);
            var judge = new Float64Truth([Sides.Reference, Sides.Engine, Sides.Twin], tolerance);
            judge.Add([after, engine[p.Name], twin(p.Name)]);
            var (truth, sides) = judge.Decide();
            return new TriagedCheck("step", p.Name, Dtype.Float64, Scope, p.Shape, truth, tolerance.Name, sides);
        })];
    }

    /// <summary>
    /// One weight after the first step (t = 1) of torch.optim's algorithm as its documentation writes it, from weight
    /// <paramref name="p"/> and gradient <paramref name="g"/>. SGD: the momentum buffer starts as the gradient, so
    /// p − lr·(g + wd·p) (chapter 10's corrected rule alike). Adam: g ← g + wd·p, m = (1−β1)·g, v = (1−β2)·g², m̂ = m/(1−β1),
    /// v̂ = v/(1−β2), p − lr·m̂/(√v̂ + ε). AdamW: the same from p·(1 − lr·wd) with the gradient undecayed.
    /// </summary>
    public static double Update(OptimizerSettings optimizer, double learningRate, double p, double g)
    {
        double wd = optimizer.WeightDecay;
        if (!optimizer.IsAdam) return p - learningRate * (g + wd * p);
        if (optimizer.Kind == OptimizerKind.AdamW) p *= 1 - learningRate * wd;
        else g += wd * p;
        double m = (1 - optimizer.Beta1) * g, v = (1 - optimizer.Beta2) * g * g;
        double mHat = m / (1 - optimizer.Beta1), vHat = v / (1 - optimizer.Beta2);
        return p - learningRate * mHat / (Math.Sqrt(vHat) + optimizer.Eps);
    }
}
