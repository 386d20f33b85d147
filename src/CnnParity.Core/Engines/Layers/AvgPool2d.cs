using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.AvgPool2d(K, stride=S) (https://pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html), no padding,
/// floor mode, so every window holds K·K values. Orders:
/// <code>
/// forward   out[b,c,y,x] = (Σ over (ky, kx) in order of in[b, c, y·S+ky, x·S+kx]) / (K·K)
/// input     dIn[b,c,i,j] = Σ over the windows (y, x) that hold (i, j), in order, of dOut[b,c,y,x] / (K·K)
/// </code>
/// (with S = K each input is in at most one window, so its gradient is that one quotient). Plain loops: a pool costs
/// a few additions per output, nothing next to the convolutions around it.
/// </summary>
internal sealed unsafe class AvgPool2d<T>(SpecLayer layer, Pool2dSpec spec) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _k = spec.Kernel, _s = spec.Stride;
    private readonly T _count = T.CreateTruncating(spec.Kernel * spec.Kernel);

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        int h = Layer.Input.Height, w = Layer.Input.Width, ho = Layer.Output.Height, wo = Layer.Output.Width;
        int planes = (b1 - b0) * Layer.Input.Channels;
        T* inPlane = input + (nint)b0 * InputSize, outPlane = output + (nint)b0 * OutputSize;
        for (int plane = 0; plane < planes; plane++, inPlane += h * w, outPlane += ho * wo)
        {
            for (int y = 0; y < ho; y++)
            {
                for (int x = 0; x < wo; x++)
                {
                    T sum = T.Zero;
                    for (int ky = 0; ky < _k; ky++)
                    {
                        T* row = inPlane + (y * _s + ky) * w + x * _s;
                        for (int kx = 0; kx < _k; kx++)
                        {
                            sum += row[kx];
                        }
                    }
                    outPlane[y * wo + x] = sum / _count;
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
        int h = Layer.Input.Height, w = Layer.Input.Width, ho = Layer.Output.Height, wo = Layer.Output.Width;
        int planes = (b1 - b0) * Layer.Input.Channels;
        T* dInPlane = dInput + (nint)b0 * InputSize, dOutPlane = dOutput + (nint)b0 * OutputSize;
        new Span<T>(dInPlane, planes * h * w).Clear();
        for (int plane = 0; plane < planes; plane++, dInPlane += h * w, dOutPlane += ho * wo)
        {
            for (int y = 0; y < ho; y++)
            {
                for (int x = 0; x < wo; x++)
                {
                    T share = dOutPlane[y * wo + x] / _count;
                    for (int ky = 0; ky < _k; ky++)
                    {
                        T* row = dInPlane + (y * _s + ky) * w + x * _s;
                        for (int kx = 0; kx < _k; kx++)
                        {
                            row[kx] += share;
                        }
                    }
                }
            }
        }
    }
}
