using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>torch.nn.Dropout with the batch's mask (0 or 1/(1−p) per element): <c>y = x·mask</c>, <c>dIn = dOut·mask</c>; identity in evaluation.</summary>
internal sealed class ReferenceDropout(SpecLayer layer) : ReferenceLayer(layer)
{
    public override Carried Forward(Carried input, int batch, double[]? mask) => mask is null ? input : Scale(input, mask);

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients) => mask is null ? dOutput : Scale(dOutput, mask);

    private static Carried Scale(Carried x, double[] mask)
    {
        if (mask.Length != x.Length) throw new ArgumentException($"a dropout mask of {mask.Length} values for {x.Length}");
        var y = Carried.Zeros(x.Length);
        for (int i = 0; i < x.Length; i++)
        {
            double v = x.Value[i] * mask[i];
            y.Value[i] = v;
            y.Variance[i] = mask[i] * mask[i] * x.Variance[i] + v * v; // and the product's rounding
        }
        return y;
    }
}
