using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Core.NumPy;

namespace CnnParity.Parity.Triage;

/// <summary>
/// A NumPy golden (reference/spec_reference.py's first step: the batch's pixels and labels, the first rows of every
/// layer's output, the logits, the loss and every gradient) judged as a third float64 opinion beside the engine and the
/// float64 reference, replayed from the same seed: two that agree make the truth, so a golden that was written wrong (or
/// has rotted) is blamed as the golden, not as the engine.
/// </summary>
public static class NumPyGoldenTriage
{
    public const string Golden = "NumPy golden";

    /// <param name="golden">the golden's tensors by their names in the .npz (pixels, labels, out_LAYER, logits, loss, grad_PARAM)</param>
    /// <param name="rows">how many images' layer outputs the golden keeps (run.json's dump_rows)</param>
    public static IReadOnlyList<TriagedCheck> Judge(ArchitectureSpec spec, uint seed, int batch, int rows,
        IReadOnlyDictionary<string, double[]> golden, NumPyExpKernel exp)
    {
        var random = new NumPyRandomState(seed);
        var parameters = ParameterSet<double>.Initialize(spec, random);
        var masks = DropoutMasks.Draw(spec, batch, random);
        double[] images = [.. golden["pixels"].Select(p => p / 255.0)];
        byte[] labels = [.. golden["labels"].Select(l => (byte)l)];
        var engine = new SpecNetwork<double>(spec, parameters, threads: 2, exp);
        var pass = engine.Forward(images, batch, masks);
        var reference = new ReferenceNetwork(spec, name => parameters[name]);
        var truth = reference.Forward(images, batch, name => masks[name]);
        var gradients = engine.Backward(pass, labels);
        var truthGradients = reference.Backward(truth, labels);

        var checks = new List<TriagedCheck>();
        foreach (var layer in spec.Layers)
        {
            int n = rows * layer.Output.Size;
            checks.Add(Check("forward", layer.Name, [rows, .. layer.Output.BatchShape(1)[1..]], Tolerances.Spec.Forward,
                truth.Output(layer.Name).Value[..n], pass.Output(layer.Name)[..n], golden[$"out_{layer.Name}"]));
        }
        checks.Add(Check("forward", "loss", [1], Tolerances.Spec.Forward,
            [reference.Loss(truth, labels).Value], [engine.Loss(pass, labels)], golden["loss"]));
        foreach (var p in spec.Parameters)
            checks.Add(Check("gradient", p.Name, p.Shape, Tolerances.Spec.Gradient,
                truthGradients[p.Name].Value, gradients[p.Name], golden[$"grad_{p.Name}"]));
        return checks;
    }

    static TriagedCheck Check(string kind, string tensor, long[] shape, Testing.Tolerance tolerance, double[] reference, double[] engine, double[] golden)
    {
        var judge = new Float64Truth([Sides.Reference, Sides.Engine, Golden], tolerance);
        judge.Add([reference, engine, golden]);
        var (truth, sides) = judge.Decide();
        return new TriagedCheck(kind, tensor, Dtype.Float64, "golden step 0", shape, truth, tolerance.Name, sides);
    }
}
