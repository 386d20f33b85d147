using System.Numerics;
using System.Runtime.Intrinsics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;

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
/// K = S = 2 (LeNet's) takes a row of windows at a time, each lane one window scanned in the same order with the same
/// comparisons (<see cref="PairLanes"/> splits a row into the windows' left and right members); other shapes, and what
/// is left of a row, one window at a time.
/// </summary>
internal sealed unsafe class MaxPool2d<T>(SpecLayer layer, Pool2dSpec spec) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _k = spec.Kernel, _s = spec.Stride;
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
        // Windows that tile the input leave no value outside them and none in two: each window clears its own values
        // before its maximum takes the gradient. Otherwise clear everything, then add window by window.
        bool tiled = _k == _s && h == _k * ho && w == _k * wo;
        if (!tiled)
        {
            new Span<T>(dInPlane, planes * h * w).Clear();
        }
        for (int plane = 0; plane < planes; plane++, inPlane += h * w, dInPlane += h * w, dOutPlane += ho * wo)
        {
            for (int y = 0; y < ho; y++)
            {
                int x = _pairs ? PairRowGradient(inPlane + 2 * y * w, dOutPlane + y * wo, dInPlane + 2 * y * w, w, wo) : 0;
                for (; x < wo; x++)
                {
                    if (tiled)
                    {
                        for (int ky = 0; ky < _k; ky++)
                        {
                            new Span<T>(dInPlane + (y * _s + ky) * w + x * _s, _k).Clear();
                        }
                    }
                    dInPlane[ArgMax(inPlane, w, y, x)] += dOutPlane[y * wo + x];
                }
            }
        }
    }

    // The 2x2 windows of one output row, V at a time; returns how many were done.
    private static int PairRow(T* top, int w, T* result, int wo)
    {
        int v = Vector256<T>.Count, x = 0;
        for (; x + v <= wo; x += v)
        {
            (Vector256<T> a, Vector256<T> b) = PairLanes.Split(Vector256.Load(top + 2 * x), Vector256.Load(top + 2 * x + v));
            (Vector256<T> c, Vector256<T> d) = PairLanes.Split(Vector256.Load(top + w + 2 * x), Vector256.Load(top + w + 2 * x + v));
            Vector256<T> max = a;
            max = Vector256.ConditionalSelect(Takes(b, max), b, max);
            max = Vector256.ConditionalSelect(Takes(c, max), c, max);
            max = Vector256.ConditionalSelect(Takes(d, max), d, max);
            Vector256.Store(max, result + x);
        }
        return x;
    }

    // Each window's gradient to its argmax (+0 + dOut, as adding it to the cleared gradient gives; 2x2 windows of
    // stride 2 never overlap), +0 to the other three, V windows at a time.
    private static int PairRowGradient(T* top, T* dOut, T* dTop, int w, int wo)
    {
        int v = Vector256<T>.Count, x = 0;
        for (; x + v <= wo; x += v)
        {
            (Vector256<T> a, Vector256<T> b) = PairLanes.Split(Vector256.Load(top + 2 * x), Vector256.Load(top + 2 * x + v));
            (Vector256<T> c, Vector256<T> d) = PairLanes.Split(Vector256.Load(top + w + 2 * x), Vector256.Load(top + w + 2 * x + v));
            // One-hot masks of the argmax: a later member that takes over clears the earlier ones.
            Vector256<T> max = a, atA = Vector256<T>.AllBitsSet;
            Vector256<T> atB = Takes(b, max);
            max = Vector256.ConditionalSelect(atB, b, max);
            atA = Vector256.AndNot(atA, atB);
            Vector256<T> atC = Takes(c, max);
            max = Vector256.ConditionalSelect(atC, c, max);
            (atA, atB) = (Vector256.AndNot(atA, atC), Vector256.AndNot(atB, atC));
            Vector256<T> atD = Takes(d, max);
            (atA, atB, atC) = (Vector256.AndNot(atA, atD), Vector256.AndNot(atB, atD), Vector256.AndNot(atC, atD));
            Vector256<T> g = Vector256<T>.Zero + Vector256.Load(dOut + x);
            (Vector256<T> first, Vector256<T> second) = PairLanes.Merge(atA & g, atB & g);
            Vector256.Store(first, dTop + 2 * x);
            Vector256.Store(second, dTop + 2 * x + v);
            (first, second) = PairLanes.Merge(atC & g, atD & g);
            Vector256.Store(first, dTop + w + 2 * x);
            Vector256.Store(second, dTop + w + 2 * x + v);
        }
        return x;
    }

    // Lanes where value replaces max in the scan: greater, or NaN.
    private static Vector256<T> Takes(Vector256<T> value, Vector256<T> max) =>
        Vector256.GreaterThan(value, max) | ~Vector256.Equals(value, value);

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
