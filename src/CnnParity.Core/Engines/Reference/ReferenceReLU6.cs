using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.ReLU6 (hardtanh(0, 6)): <c>min(max(x, 0), 6)</c>; the gradient passes strictly between the kinks, as
/// PyTorch's hardtanh_backward. Both kinks are branch decisions: an input within rounding of 0 or of 6 may be decided
/// either way by float32. The decision of an element is its band: <see cref="Below"/>, <see cref="Between"/> or
/// <see cref="Above"/>. No rounding of its own, and no growth (the clamp is 1-Lipschitz), so the variance passes through.
/// </summary>
internal sealed class ReferenceReLU6(SpecLayer layer) : ReferenceLayer(layer)
{
    /// <summary>The upper kink.</summary>
    public const double Cap = 6;

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = new Carried(new double[input.Length], (double[])input.Variance.Clone());
        for (int i = 0; i < input.Length; i++)
        {
            double v = input.Value[i];
            output.Value[i] = v >= Cap ? Cap : v < 0 ? 0 : v; // −0 and NaN pass, as LibTorch's clamp
        }
        return output;
    }

    public override int[] Decisions(Carried input, Carried output, int batch) => Bands(output.Value);

    /// <summary>The decisions a pass made, read off its ReLU6 output.</summary>
    public static int[] Bands(double[] output) => output.Select(v => v >= Cap ? BranchDecisions.Above : v > 0 ? BranchDecisions.Between : BranchDecisions.Below).ToArray();

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var bands = decisions ?? Decisions(input, output, batch);
        var dInput = Carried.Zeros(dOutput.Length);
        for (int i = 0; i < dOutput.Length; i++)
        {
            if (bands[i] != BranchDecisions.Between) continue;
            dInput.Value[i] = dOutput.Value[i];
            dInput.Variance[i] = dOutput.Variance[i];
        }
        return dInput;
    }
}
