using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Sigmoid as NumPy writes it: <c>y = 1 / (1 + np.exp(-x))</c>, exp being NumPy's float64 exp with the kernel
/// of the NumPy being mirrored (<see cref="NumPyExpKernel"/>; float32 uses <see cref="MathF.Exp"/>). The backward pass
/// is PyTorch's <c>sigmoid_backward</c> expression, left to right: <c>dIn = dOut·(1 - y)·y</c>.
/// </summary>
internal sealed unsafe class Sigmoid<T>(SpecLayer layer, NumPyExpKernel exp) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        nint start = (nint)b0 * InputSize;
        T* x = input + start, y = output + start;
        int count = (b1 - b0) * InputSize;
        for (int i = 0; i < count; i++)
        {
            y[i] = T.One / (T.One + ScalarMath<T>.Exp(-x[i], exp));
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
                Vector<T> v = Vector.Load(y + i);
                Vector.Store(Vector.Load(dOut + i) * (Vector<T>.One - v) * v, dIn + i);
            }
        }
        for (; i < count; i++)
        {
            dIn[i] = dOut[i] * (T.One - y[i]) * y[i];
        }
    }
}
