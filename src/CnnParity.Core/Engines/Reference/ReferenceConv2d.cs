using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.Conv2d as its definition reads: <c>out[b,o,y,x] = Σ_{c,ky,kx} w[o,c,ky,kx]·in[b,c,y·S+ky−P,x·S+kx−P] + bias[o]</c>,
/// padding terms left out; the input gradient, the weight gradient and the bias gradient are the same sums read the other
/// way. With groups, the sums over c run over the output channel's group only (the weight is (O, C/G, K, K)). Every sum
/// is a <see cref="RoundedSum"/>.
/// </summary>
internal sealed class ReferenceConv2d : ReferenceLayer
{
    private readonly int _c, _h, _w, _o, _k, _s, _p, _ho, _wo, _cg, _og;
    private readonly double[] _weight;
    private readonly double[]? _bias;

    public ReferenceConv2d(SpecLayer layer, Conv2dSpec spec, Func<string, double[]> parameters) : base(layer)
    {
        (_c, _h, _w) = (layer.Input.Channels, layer.Input.Height, layer.Input.Width);
        (_o, _k, _s, _p) = (spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding);
        (_ho, _wo) = (layer.Output.Height, layer.Output.Width);
        (_cg, _og) = (_c / spec.Groups, _o / spec.Groups);
        _weight = parameters($"{layer.Name}.weight");
        _bias = spec.Bias ? parameters($"{layer.Name}.bias") : null;
    }

    // Input channel c of output channel o's group is its channel c - first(o) of the weight.
    private int W(int o, int c, int ky, int kx) => ((o * _cg + c - First(o)) * _k + ky) * _k + kx;

    private int First(int o) => o / _og * _cg;

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = Carried.Zeros(batch * OutputSize);
        ForEachImage(batch, b =>
        {
            int inBase = b * InputSize, outBase = b * OutputSize;
            for (int o = 0; o < _o; o++)
                for (int y = 0; y < _ho; y++)
                    for (int x = 0; x < _wo; x++)
                    {
                        var sum = new RoundedSum();
                        for (int c = First(o); c < First(o) + _cg; c++)
                            for (int ky = 0; ky < _k; ky++)
                            {
                                int iy = y * _s + ky - _p;
                                if (iy < 0 || iy >= _h) continue;
                                for (int kx = 0; kx < _k; kx++)
                                {
                                    int ix = x * _s + kx - _p;
                                    if (ix < 0 || ix >= _w) continue;
                                    int at = inBase + (c * _h + iy) * _w + ix;
                                    sum.AddProduct(_weight[W(o, c, ky, kx)], input.Value[at], input.Variance[at]);
                                }
                            }
                        if (_bias is not null) sum.AddTerm(_bias[o], 0);
                        int i = outBase + (o * _ho + y) * _wo + x;
                        output.Value[i] = sum.Value;
                        output.Variance[i] = sum.Variance;
                    }
        });
        return output;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var dInput = Carried.Zeros(batch * InputSize);
        ForEachImage(batch, b =>
        {
            int inBase = b * InputSize, outBase = b * OutputSize;
            for (int c = 0; c < _c; c++)
                for (int i = 0; i < _h; i++)
                    for (int j = 0; j < _w; j++)
                    {
                        var sum = new RoundedSum();
                        for (int o = c / _cg * _og; o < (c / _cg + 1) * _og; o++)
                            for (int ky = 0; ky < _k; ky++)
                            {
                                int ty = i + _p - ky;
                                if (ty < 0 || ty % _s != 0 || ty / _s >= _ho) continue;
                                for (int kx = 0; kx < _k; kx++)
                                {
                                    int tx = j + _p - kx;
                                    if (tx < 0 || tx % _s != 0 || tx / _s >= _wo) continue;
                                    int at = outBase + (o * _ho + ty / _s) * _wo + tx / _s;
                                    sum.AddProduct(_weight[W(o, c, ky, kx)], dOutput.Value[at], dOutput.Variance[at]);
                                }
                            }
                        int d = inBase + (c * _h + i) * _w + j;
                        dInput.Value[d] = sum.Value;
                        dInput.Variance[d] = sum.Variance;
                    }
        });

        var dWeight = Carried.Zeros(_weight.Length);
        Parallel.For(0, _o, o =>
        {
            for (int c = First(o); c < First(o) + _cg; c++)
                for (int ky = 0; ky < _k; ky++)
                    for (int kx = 0; kx < _k; kx++)
                    {
                        var sum = new RoundedSum();
                        for (int b = 0; b < batch; b++)
                            for (int y = 0; y < _ho; y++)
                            {
                                int iy = y * _s + ky - _p;
                                if (iy < 0 || iy >= _h) continue;
                                for (int x = 0; x < _wo; x++)
                                {
                                    int ix = x * _s + kx - _p;
                                    if (ix < 0 || ix >= _w) continue;
                                    int g = b * OutputSize + (o * _ho + y) * _wo + x, at = b * InputSize + (c * _h + iy) * _w + ix;
                                    sum.AddProduct(dOutput.Value[g], input.Value[at], dOutput.Variance[g], input.Variance[at]);
                                }
                            }
                        int w = W(o, c, ky, kx);
                        dWeight.Value[w] = sum.Value;
                        dWeight.Variance[w] = sum.Variance;
                    }
        });
        gradients[$"{Name}.weight"] = dWeight;

        if (_bias is not null)
        {
            var dBias = Carried.Zeros(_o);
            for (int o = 0; o < _o; o++)
            {
                var sum = new RoundedSum();
                for (int b = 0; b < batch; b++)
                    for (int p = 0; p < _ho * _wo; p++)
                    {
                        int g = b * OutputSize + o * _ho * _wo + p;
                        sum.AddTerm(dOutput.Value[g], dOutput.Variance[g]);
                    }
                dBias.Value[o] = sum.Value;
                dBias.Variance[o] = sum.Variance;
            }
            gradients[$"{Name}.bias"] = dBias;
        }
        return dInput;
    }
}
