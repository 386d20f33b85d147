using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Conv2d with groups = G &gt; 1 (G = C is depthwise): output channel o sees only the Cg = C/G input channels of
/// its group g(o) = o / (O/G), through a weight (O, Cg, K, K). The orders are <see cref="Conv2d{T}"/>'s, each sum running
/// over the group's channels only (cl the channel within the group, c = g·Cg + cl):
/// <code>
/// forward   out[b,o,y,x]   = Σ over (cl, ky, kx) in order of w[o,cl,ky,kx]·in[b, c, y·S+ky-P, x·S+kx-P]   then + bias[o]
/// input     dIn[b,c,i,j]   = Σ over (o in g(c), ky, kx) in order of w[o,cl,ky,kx]·dOut[b, o, (i+P-ky)/S, (j+P-kx)/S]
/// weight    dW[o,cl,ky,kx] = Σ over (b, y, x) in order of dOut[b,o,y,x]·in[b, c, y·S+ky-P, x·S+kx-P]
/// bias      dBias[o]       = Σ over (b, y, x) in order of dOut[b,o,y,x]
/// </code>
/// Padding terms are left out (they are ±0 and change no bit of a sum from +0). Plain loops: a grouped convolution does
/// C/G times fewer multiply-adds than a full one, and the ungrouped <see cref="Conv2d{T}"/> keeps its kernels untouched.
/// </summary>
internal sealed unsafe class GroupedConv2d<T> : EngineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _c, _h, _w, _o, _k, _s, _p, _ho, _wo, _cg, _og;
    private readonly bool _bias;
    private readonly string _weightName, _biasName;
    private T* _weights, _biases;

    public GroupedConv2d(SpecLayer layer, Conv2dSpec spec) : base(layer)
    {
        (_c, _h, _w) = (layer.Input.Channels, layer.Input.Height, layer.Input.Width);
        (_o, _k, _s, _p) = (spec.OutChannels, spec.Kernel, spec.Stride, spec.Padding);
        (_ho, _wo) = (layer.Output.Height, layer.Output.Width);
        (_cg, _og) = (_c / spec.Groups, _o / spec.Groups);
        _bias = spec.Bias;
        _weightName = $"{layer.Name}.weight";
        _biasName = $"{layer.Name}.bias";
    }

    public override void Bind(ParameterSet<T> parameters)
    {
        _weights = PinnedArray.Address(parameters[_weightName]);
        _biases = _bias ? PinnedArray.Address(parameters[_biasName]) : null;
    }

    private nint W(int o, int cl, int ky, int kx) => (((nint)o * _cg + cl) * _k + ky) * _k + kx;

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        for (int b = b0; b < b1; b++)
        {
            T* x = input + (nint)b * InputSize, y = output + (nint)b * OutputSize;
            for (int o = 0; o < _o; o++)
            {
                int c0 = o / _og * _cg;
                for (int oy = 0; oy < _ho; oy++)
                {
                    for (int ox = 0; ox < _wo; ox++)
                    {
                        T sum = T.Zero;
                        for (int cl = 0; cl < _cg; cl++)
                        {
                            for (int ky = 0; ky < _k; ky++)
                            {
                                int iy = oy * _s + ky - _p;
                                if (iy < 0 || iy >= _h) continue;
                                for (int kx = 0; kx < _k; kx++)
                                {
                                    int ix = ox * _s + kx - _p;
                                    if (ix < 0 || ix >= _w) continue;
                                    sum += _weights[W(o, cl, ky, kx)] * x[((c0 + cl) * _h + iy) * _w + ix];
                                }
                            }
                        }
                        y[(o * _ho + oy) * _wo + ox] = _biases == null ? sum : sum + _biases[o];
                    }
                }
            }
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        for (int b = b0; b < b1; b++)
        {
            T* dy = dOutput + (nint)b * OutputSize, dx = dInput + (nint)b * InputSize;
            for (int c = 0; c < _c; c++)
            {
                int g = c / _cg, cl = c - g * _cg;
                for (int i = 0; i < _h; i++)
                {
                    for (int j = 0; j < _w; j++)
                    {
                        T sum = T.Zero;
                        for (int o = g * _og; o < (g + 1) * _og; o++)
                        {
                            for (int ky = 0; ky < _k; ky++)
                            {
                                int ty = i + _p - ky;
                                if (ty < 0 || ty % _s != 0 || ty / _s >= _ho) continue;
                                for (int kx = 0; kx < _k; kx++)
                                {
                                    int tx = j + _p - kx;
                                    if (tx < 0 || tx % _s != 0 || tx / _s >= _wo) continue;
                                    sum += _weights[W(o, cl, ky, kx)] * dy[(o * _ho + ty / _s) * _wo + tx / _s];
                                }
                            }
                        }
                        dx[(c * _h + i) * _w + j] = sum;
                    }
                }
            }
        }
    }

    // Tasks 0..n-1: blocks of output channels' weights; task n: the bias.
    public override int GradientTasks(int threads) => WeightTasks(threads) + (_bias ? 1 : 0);

    private int WeightTasks(int threads) => (_o + RowsPerTask(_o, threads) - 1) / RowsPerTask(_o, threads);

    public override void BackwardParameters(int task, int threads, T* input, T* dOutput, int batch, ParameterSet<T> gradients)
    {
        if (task == WeightTasks(threads))
        {
            T* dBias = PinnedArray.Address(gradients[_biasName]);
            for (int o = 0; o < _o; o++)
            {
                T sum = T.Zero;
                for (int b = 0; b < batch; b++)
                {
                    T* dy = dOutput + (nint)b * OutputSize + (nint)o * _ho * _wo;
                    for (int q = 0; q < _ho * _wo; q++)
                    {
                        sum += dy[q];
                    }
                }
                dBias[o] = sum;
            }
            return;
        }
        int rows = RowsPerTask(_o, threads);
        T* dW = PinnedArray.Address(gradients[_weightName]);
        for (int o = task * rows; o < Math.Min((task + 1) * rows, _o); o++)
        {
            int c0 = o / _og * _cg;
            for (int cl = 0; cl < _cg; cl++)
            {
                for (int ky = 0; ky < _k; ky++)
                {
                    for (int kx = 0; kx < _k; kx++)
                    {
                        T sum = T.Zero;
                        for (int b = 0; b < batch; b++)
                        {
                            T* x = input + (nint)b * InputSize + (nint)(c0 + cl) * _h * _w, dy = dOutput + (nint)b * OutputSize + (nint)o * _ho * _wo;
                            for (int oy = 0; oy < _ho; oy++)
                            {
                                int iy = oy * _s + ky - _p;
                                if (iy < 0 || iy >= _h) continue;
                                for (int ox = 0; ox < _wo; ox++)
                                {
                                    int ix = ox * _s + kx - _p;
                                    if (ix < 0 || ix >= _w) continue;
                                    sum += dy[oy * _wo + ox] * x[iy * _w + ix];
                                }
                            }
                        }
                        dW[W(o, cl, ky, kx)] = sum;
                    }
                }
            }
        }
    }
}
