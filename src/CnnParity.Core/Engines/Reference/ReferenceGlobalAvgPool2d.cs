using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.AdaptiveAvgPool2d(1): each plane's sum divided by H·W, and the gradient shared back as dOut/(H·W) to every
/// element of the plane. The sum's rounding is bounded for any order (<see cref="RoundedSum"/>): LibTorch's mean sums
/// in its own.
/// </summary>
internal sealed class ReferenceGlobalAvgPool2d(SpecLayer layer) : ReferenceLayer(layer)
{
    private readonly int _area = layer.Input.Height * layer.Input.Width;

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        int c = Layer.Input.Channels;
        var output = Carried.Zeros(batch * OutputSize);
        ForEachImage(batch, b =>
        {
            for (int plane = b * c; plane < (b + 1) * c; plane++)
            {
                var sum = new RoundedSum();
                for (int i = plane * _area; i < (plane + 1) * _area; i++)
                    sum.AddTerm(input.Value[i], input.Variance[i]);
                double value = sum.Value / _area;
                output.Value[plane] = value;
                output.Variance[plane] = sum.Variance / ((double)_area * _area) + value * value; // and the division's rounding
            }
        });
        return output;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        int c = Layer.Input.Channels;
        var dInput = Carried.Zeros(batch * InputSize);
        ForEachImage(batch, b =>
        {
            for (int plane = b * c; plane < (b + 1) * c; plane++)
            {
                double share = dOutput.Value[plane] / _area;
                // The share's error reaches all H·W elements in step (see ReferenceAvgPool2d): each copy carries H·W
                // times its variance, so that a later sum over them carries the shared error linearly.
                double variance = _area * (dOutput.Variance[plane] / ((double)_area * _area) + share * share);
                for (int i = plane * _area; i < (plane + 1) * _area; i++)
                {
                    dInput.Value[i] = share;
                    dInput.Variance[i] = variance;
                }
            }
        });
        return dInput;
    }
}
