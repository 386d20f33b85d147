using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The first SGD step of a float64 lockstep run, judged as a third opinion would judge it: from the same starting weights,
/// the float64 reference's gradient of the first batch (its masks) and the update PyTorch's SGD makes on its first step
/// (the momentum buffer starts as the gradient, so <c>p ← p − lr·g</c>, chapter 10's corrected rule alike). Two of the
/// reference, the engine and the twin that agree make the truth, so a side whose update rule is off is named — which the
/// drift between engine and twin alone cannot say.
/// </summary>
public static class FirstStepParity
{
    public const string Scope = "first SGD step";

    /// <param name="start">the weights both sides started from</param>
    /// <param name="engine">the engine's weights after its first step</param>
    /// <param name="twin">the twin's weights after its first step, by name</param>
    /// <param name="learningRate">the rate of the first step</param>
    public static IReadOnlyList<TriagedCheck> Judge(SpecParitySetup setup, ParameterSet<double> start, ReadOnlySpan<double> images,
        ReadOnlySpan<byte> labels, DropoutMasks masks, ParameterSet<double> engine, Func<string, double[]> twin, double learningRate)
    {
        var spec = setup.Spec;
        var reference = new ReferenceNetwork(spec, name => start[name], setup.Options.Loss);
        var pass = reference.Forward(images, setup.Batch, name => masks[name]);
        var gradients = reference.Backward(pass, labels);
        var tolerance = setup.Tolerances.Forward;
        return [.. spec.Parameters.Select(p =>
        {
            double[] before = start[p.Name], g = gradients[p.Name].Value, after = new double[before.Length];
            for (int i = 0; i < after.Length; i++) after[i] = before[i] - learningRate * g[i];
            var judge = new Float64Truth([Sides.Reference, Sides.Engine, Sides.Twin], tolerance);
            judge.Add([after, engine[p.Name], twin(p.Name)]);
            var (truth, sides) = judge.Decide();
            return new TriagedCheck("step", p.Name, Dtype.Float64, Scope, p.Shape, truth, tolerance.Name, sides);
        })];
    }
}
