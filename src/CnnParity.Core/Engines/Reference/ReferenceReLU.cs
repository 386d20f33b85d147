using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.ReLU: <c>x</c> where x &gt; 0 (or NaN), else 0; the gradient passes where the output is positive, as
/// PyTorch's threshold_backward. The sign is a branch decision: at an input within rounding of 0, float32 may decide
/// either way. No rounding of its own, and no growth: |relu(a) − relu(b)| ≤ |a − b|, so the variance passes through.
/// </summary>
internal sealed class ReferenceReLU(SpecLayer layer) : ReferenceLayer(layer)
{
    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = new Carried(new double[input.Length], (double[])input.Variance.Clone());
        for (int i = 0; i < input.Length; i++)
        {
            double v = input.Value[i];
            output.Value[i] = v > 0 || double.IsNaN(v) ? v : 0;
        }
        return output;
    }

    /// <summary>1 where the output is positive (the gradient passes), else 0.</summary>
    public override int[] Decisions(Carried input, Carried output, int batch) => Signs(output.Value);

    /// <summary>The decisions a pass made, read off its ReLU output.</summary>
    public static int[] Signs(double[] output) => output.Select(v => v > 0 ? 1 : 0).ToArray();

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var passes = decisions ?? Decisions(input, output, batch);
        var dInput = Carried.Zeros(dOutput.Length);
        for (int i = 0; i < dOutput.Length; i++)
        {
            if (passes[i] == 0) continue;
            dInput.Value[i] = dOutput.Value[i];
            dInput.Variance[i] = dOutput.Variance[i];
        }
        return dInput;
    }
}
