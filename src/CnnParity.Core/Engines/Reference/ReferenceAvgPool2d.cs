using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.AvgPool2d (no padding): each window's sum divided by K², and the gradient shared back as dOut/K² to every
/// element of the window.
/// </summary>
internal sealed class ReferenceAvgPool2d(SpecLayer layer, Pool2dSpec spec) : ReferenceLayer(layer)
{
    private readonly int _k = spec.Kernel, _s = spec.Stride;

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        int c = Layer.Input.Channels, h = Layer.Input.Height, w = Layer.Input.Width, ho = Layer.Output.Height, wo = Layer.Output.Width;
        double area = _k * _k;
        var output = Carried.Zeros(batch * OutputSize);
        ForEachImage(batch, b =>
        {
            for (int plane = b * c; plane < (b + 1) * c; plane++)
                for (int y = 0; y < ho; y++)
                    for (int x = 0; x < wo; x++)
                    {
                        var sum = new RoundedSum();
                        for (int ky = 0; ky < _k; ky++)
                            for (int kx = 0; kx < _k; kx++)
                            {
                                int at = plane * h * w + (y * _s + ky) * w + x * _s + kx;
                                sum.AddTerm(input.Value[at], input.Variance[at]);
                            }
                        int o = (plane * ho + y) * wo + x;
                        double value = sum.Value / area;
                        output.Value[o] = value;
                        output.Variance[o] = sum.Variance / (area * area) + value * value; // and the division's rounding
                    }
        });
        return output;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        int c = Layer.Input.Channels, h = Layer.Input.Height, w = Layer.Input.Width, ho = Layer.Output.Height, wo = Layer.Output.Width;
        double area = _k * _k;
        var dInput = Carried.Zeros(batch * InputSize);
        ForEachImage(batch, b =>
        {
            for (int plane = b * c; plane < (b + 1) * c; plane++)
                for (int i = 0; i < h; i++)
                    for (int j = 0; j < w; j++)
                    {
                        var sum = new RoundedSum();
                        for (int y = 0; y < ho; y++)
                        {
                            if (i < y * _s || i >= y * _s + _k) continue;
                            for (int x = 0; x < wo; x++)
                            {
                                if (j < x * _s || j >= x * _s + _k) continue;
                                int o = (plane * ho + y) * wo + x;
                                double share = dOutput.Value[o] / area;
                                // One rounded share reaches all K² elements of its window, so its error is theirs
                                // too, in step: a later sum over them (a bias gradient, a weight gradient) adds it K²
                                // times, not at random. Giving each copy K² times the share's variance makes such a sum
                                // carry (K²·σ)², as it must; one element alone is held K times looser.
                                sum.AddTerm(share, area * (dOutput.Variance[o] / (area * area) + share * share));
                            }
                        }
                        int at = plane * h * w + i * w + j;
                        dInput.Value[at] = sum.Value;
                        dInput.Variance[at] = sum.Variance;
                    }
        });
        return dInput;
    }
}
