using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.MaxPool2d(K, stride=S) (https://pytorch.org/docs/stable/generated/torch.nn.MaxPool2d.html), no padding,
/// floor mode. The window is scanned in (ky, kx) order and a value replaces the maximum only when it is greater (or
/// NaN), so on ties the first one wins, as PyTorch's index does. Orders:
/// <code>
/// forward   out[b,c,y,x] = in[b,c, first argmax over (ky, kx) of in[b, c, y·S+ky, x·S+kx]]
/// input     dIn[b,c,i,j] = Σ over the windows (y, x) whose argmax is (i, j), in order, of dOut[b,c,y,x]
/// </code>
/// The backward pass finds each window's argmax again from the input (the same comparisons, so the same position).
/// </summary>
internal sealed unsafe class MaxPool2d<T>(SpecLayer layer, Pool2dSpec spec) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _k = spec.Kernel, _s = spec.Stride;

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
                    outPlane[y * wo + x] = inPlane[ArgMax(inPlane, w, y, x)];
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
        T* inPlane = input + (nint)b0 * InputSize, dInPlane = dInput + (nint)b0 * InputSize, dOutPlane = dOutput + (nint)b0 * OutputSize;
        new Span<T>(dInPlane, planes * h * w).Clear();
        for (int plane = 0; plane < planes; plane++, inPlane += h * w, dInPlane += h * w, dOutPlane += ho * wo)
        {
            for (int y = 0; y < ho; y++)
            {
                for (int x = 0; x < wo; x++)
                {
                    dInPlane[ArgMax(inPlane, w, y, x)] += dOutPlane[y * wo + x];
                }
            }
        }
    }

    // The plane index of window (y, x)'s maximum: the first in (ky, kx) order; a NaN wins, as in PyTorch.
    private int ArgMax(T* plane, int w, int y, int x)
    {
        int best = y * _s * w + x * _s;
        T max = plane[best];
        for (int ky = 0; ky < _k; ky++)
        {
            for (int kx = 0; kx < _k; kx++)
            {
                int at = (y * _s + ky) * w + x * _s + kx;
                T value = plane[at];
                if (value > max || T.IsNaN(value))
                {
                    max = value;
                    best = at;
                }
            }
        }
        return best;
    }
}
