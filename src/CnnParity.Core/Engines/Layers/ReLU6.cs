using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.ReLU6, PyTorch's <c>hardtanh(x, 0, 6)</c>: <c>y = min(max(x, 0), 6)</c> as LibTorch's clamp computes it,
/// a NaN and a −0 passed on (ReLU's threshold gives +0 for −0; clamp does not).
/// Its derivative is 1 strictly between the kinks and 0 at and beyond them, as PyTorch's <c>hardtanh_backward</c>:
/// <c>dIn = dOut</c> where 0 &lt; y &lt; 6, else 0. No sums.
/// </summary>
internal sealed unsafe class ReLU6<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    static readonly T Six = T.CreateChecked(6);

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        nint start = (nint)b0 * InputSize;
        T* x = input + start, y = output + start;
        int count = (b1 - b0) * InputSize;
        for (int i = 0; i < count; i++)
        {
            T v = x[i];
            y[i] = v >= Six ? Six : v < T.Zero ? T.Zero : v;
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
            dIn[i] = y[i] > T.Zero && y[i] < Six ? dOut[i] : T.Zero;
        }
    }
}
