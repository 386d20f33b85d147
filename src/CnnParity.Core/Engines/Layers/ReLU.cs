using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.ReLU: <c>y = x</c> where x &gt; 0 (and where x is NaN, which PyTorch passes on), else +0. Its derivative
/// is taken as 0 at 0, as PyTorch's <c>threshold_backward</c>: <c>dIn = dOut</c> where y &gt; 0, else 0. No sums.
/// </summary>
internal sealed unsafe class ReLU<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        nint start = (nint)b0 * InputSize;
        T* x = input + start, y = output + start;
        int count = (b1 - b0) * InputSize;
        for (int i = 0; i < count; i++)
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
        int count = (b1 - b0) * OutputSize;
        for (int i = 0; i < count; i++)
        {
            dIn[i] = y[i] > T.Zero ? dOut[i] : T.Zero;
        }
    }
}
