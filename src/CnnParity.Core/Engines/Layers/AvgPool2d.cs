using System.Numerics;
using System.Runtime.Intrinsics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.AvgPool2d(K, stride=S) (https://pytorch.org/docs/stable/generated/torch.nn.AvgPool2d.html), no padding,
/// floor mode, so every window holds K·K values. Orders:
/// <code>
/// forward   out[b,c,y,x] = (Σ over (ky, kx) in order of in[b, c, y·S+ky, x·S+kx]) / (K·K)
/// input     dIn[b,c,i,j] = Σ over the windows (y, x) that hold (i, j), in order, of dOut[b,c,y,x] / (K·K)
/// </code>
/// (with S = K each input is in at most one window, so its gradient is that one quotient, added to +0). K = S = 2
/// (LeNet's) takes a row of windows at a time, each lane one window with the same additions in the same order
/// (<see cref="PairLanes"/> splits a row into the windows' left and right members); other shapes, and what is left of
/// a row, one window at a time.
/// </summary>
internal sealed unsafe class AvgPool2d<T>(SpecLayer layer, Pool2dSpec spec) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _k = spec.Kernel, _s = spec.Stride;
    private readonly T _count = T.CreateTruncating(spec.Kernel * spec.Kernel);
    private readonly bool _pairs = spec.Kernel == 2 && spec.Stride == 2 && Vector256.IsHardwareAccelerated;

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        int h = Layer.Input.Height, w = Layer.Input.Width, ho = Layer.Output.Height, wo = Layer.Output.Width;
        int planes = (b1 - b0) * Layer.Input.Channels;
        T* inPlane = input + (nint)b0 * InputSize, outPlane = output + (nint)b0 * OutputSize;
        for (int plane = 0; plane < planes; plane++, inPlane += h * w, outPlane += ho * wo)
        {
            for (int y = 0; y < ho; y++)
            {
                int x = _pairs ? PairRow(inPlane + 2 * y * w, w, outPlane + y * wo, wo) : 0;
                for (; x < wo; x++)
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

    // The 2x2 windows of one output row, V at a time; returns how many were done.
    private int PairRow(T* top, int w, T* result, int wo)
    {
        int v = Vector256<T>.Count, x = 0;
        Vector256<T> count = Vector256.Create(_count);
        for (; x + v <= wo; x += v)
        {
            (Vector256<T> a, Vector256<T> b) = PairLanes.Split(Vector256.Load(top + 2 * x), Vector256.Load(top + 2 * x + v));
            (Vector256<T> c, Vector256<T> d) = PairLanes.Split(Vector256.Load(top + w + 2 * x), Vector256.Load(top + w + 2 * x + v));
            Vector256.Store((((Vector256<T>.Zero + a) + b) + c + d) / count, result + x);
        }
        return x;
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
        // Windows that tile the input leave no value outside them and none in two: each gradient is written once, as
        // +0 + share (what adding the share to a cleared gradient gives). Otherwise clear, then add window by window.
        bool tiled = _k == _s && h == _k * ho && w == _k * wo;
        if (!tiled)
        {
            new Span<T>(dInPlane, planes * h * w).Clear();
        }
        for (int plane = 0; plane < planes; plane++, dInPlane += h * w, dOutPlane += ho * wo)
        {
            for (int y = 0; y < ho; y++)
            {
                int x = _pairs ? PairRowGradient(dOutPlane + y * wo, wo, dInPlane + 2 * y * w, w) : 0;
                for (; x < wo; x++)
                {
                    T share = dOutPlane[y * wo + x] / _count;
                    for (int ky = 0; ky < _k; ky++)
                    {
                        T* row = dInPlane + (y * _s + ky) * w + x * _s;
                        for (int kx = 0; kx < _k; kx++)
                        {
                            row[kx] = tiled ? T.Zero + share : row[kx] + share;
                        }
                    }
                }
            }
        }
    }

    // Each window's share to its four inputs (+0 + share, as above: 2x2 windows of stride 2 never overlap), V windows at a time.
    private int PairRowGradient(T* dOut, int wo, T* top, int w)
    {
        int v = Vector256<T>.Count, x = 0;
        Vector256<T> count = Vector256.Create(_count);
        for (; x + v <= wo; x += v)
        {
            Vector256<T> share = Vector256<T>.Zero + Vector256.Load(dOut + x) / count;
            (Vector256<T> first, Vector256<T> second) = PairLanes.Merge(share, share);
            Vector256.Store(first, top + 2 * x);
            Vector256.Store(second, top + 2 * x + v);
            Vector256.Store(first, top + w + 2 * x);
            Vector256.Store(second, top + w + 2 * x + v);
        }
        return x;
    }
}
