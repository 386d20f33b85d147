using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.MaxPool2d: each window's first largest value (a NaN wins), and its gradient routed back to that element.
/// The pick is a branch decision: which element wins can turn on rounding when two are nearly equal. The output's
/// variance is the window's largest: the maximum moves by no more than the most any of its candidates moves, whichever
/// one wins.
/// </summary>
internal sealed class ReferenceMaxPool2d(SpecLayer layer, Pool2dSpec spec) : ReferenceLayer(layer)
{
    private readonly int _k = spec.Kernel, _s = spec.Stride;

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = Carried.Zeros(batch * OutputSize);
        var picks = Decisions(input, output, batch);
        ForEachImage(batch, b =>
        {
            var (c, h, w, ho, wo) = Shape;
            for (int plane = b * c; plane < (b + 1) * c; plane++)
                for (int y = 0; y < ho; y++)
                    for (int x = 0; x < wo; x++)
                    {
                        int o = (plane * ho + y) * wo + x;
                        output.Value[o] = input.Value[plane * h * w + picks[o]];
                        double variance = 0;
                        for (int ky = 0; ky < _k; ky++)
                            for (int kx = 0; kx < _k; kx++)
                                variance = Math.Max(variance, input.Variance[plane * h * w + (y * _s + ky) * w + x * _s + kx]);
                        output.Variance[o] = variance;
                    }
        });
        return output;
    }

    private (int C, int H, int W, int Ho, int Wo) Shape => (Layer.Input.Channels, Layer.Input.Height, Layer.Input.Width, Layer.Output.Height, Layer.Output.Width);

    /// <summary>Per output element, the index within its input plane of the element the window picks.</summary>
    public override int[] Decisions(Carried input, Carried output, int batch) => Picks(Layer, spec, input.Value, batch);

    /// <summary>The picks made on <paramref name="input"/> (B·C planes): the first largest in (ky, kx) order, a NaN winning.</summary>
    public static int[] Picks(SpecLayer layer, Pool2dSpec spec, double[] input, int batch)
    {
        var (c, h, w, ho, wo) = (layer.Input.Channels, layer.Input.Height, layer.Input.Width, layer.Output.Height, layer.Output.Width);
        int k = spec.Kernel, s = spec.Stride;
        var picks = new int[batch * c * ho * wo];
        for (int plane = 0; plane < batch * c; plane++)
            for (int y = 0; y < ho; y++)
                for (int x = 0; x < wo; x++)
                {
                    int best = y * s * w + x * s;
                    double max = input[plane * h * w + best];
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int at = (y * s + ky) * w + x * s + kx;
                            double v = input[plane * h * w + at];
                            if (v > max || double.IsNaN(v)) { max = v; best = at; }
                        }
                    picks[(plane * ho + y) * wo + x] = best;
                }
        return picks;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var picks = decisions ?? Decisions(input, output, batch);
        var dInput = Carried.Zeros(batch * InputSize);
        ForEachImage(batch, b =>
        {
            var (c, h, w, ho, wo) = Shape;
            for (int plane = b * c; plane < (b + 1) * c; plane++)
                for (int o = plane * ho * wo; o < (plane + 1) * ho * wo; o++)
                {
                    int at = plane * h * w + picks[o];
                    bool first = dInput.Value[at] == 0 && dInput.Variance[at] == 0;
                    dInput.Value[at] += dOutput.Value[o];
                    // Overlapping windows add into one element: each addition after the first rounds.
                    dInput.Variance[at] += dOutput.Variance[o] + (first ? 0 : dInput.Value[at] * dInput.Value[at]);
                }
        });
        return dInput;
    }
}
