using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.ReLU: <c>y = x</c> where x &gt; 0 (and where x is NaN, which PyTorch passes on), else +0. Its derivative
/// is taken as 0 at 0, as PyTorch's <c>threshold_backward</c>: <c>dIn = dOut</c> where y &gt; 0, else 0. No sums:
/// a vector of neighbouring values at a time, each lane the scalar rule (a select, never a max, whose -0 and NaN
/// rules differ), the values that do not fill a vector one by one.
/// </summary>
internal sealed unsafe class ReLU<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        nint start = (nint)b0 * InputSize;
        T* x = input + start, y = output + start;
        int count = (b1 - b0) * InputSize, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> v = Vector.Load(x + i);
                Vector<T> keep = Vector.GreaterThan(v, Vector<T>.Zero) | ~Vector.Equals(v, v);
                Vector.Store(Vector.ConditionalSelect(keep, v, Vector<T>.Zero), y + i);
            }
        }
        for (; i < count; i++)
        {
            T v = x[i];
            y[i] = v > T.Zero || T.IsNaN(v) ? v : T.Zero;
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        nint start = (nint)b0 * OutputSize;
        T* y = output + start, dOut = dOutput + start, dIn = dInput + start;
        int count = (b1 - b0) * OutputSize, i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector<T> open = Vector.GreaterThan(Vector.Load(y + i), Vector<T>.Zero);
                Vector.Store(Vector.ConditionalSelect(open, Vector.Load(dOut + i), Vector<T>.Zero), dIn + i);
            }
        }
        for (; i < count; i++)
        {
            dIn[i] = y[i] > T.Zero ? dOut[i] : T.Zero;
        }
    }
}
