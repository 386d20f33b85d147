using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Tanh with NumPy's tanh: float64 is <c>np.tanh</c>'s own SIMD kernel (NumPy/Simd/SimdTanh.cs), float32 is
/// NumPy's float32 kernel (NumPy/Simd/SimdTanhFloat32.cs) — see <see cref="ScalarMath{T}"/>. The backward pass is
/// PyTorch's <c>tanh_backward</c> expression, elementwise: <c>dIn = dOut·(1 - y·y)</c> with y the output.
/// </summary>
internal sealed unsafe class Tanh<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override void Forward(T* input, T* output, int b0, int b1, T* workspace) =>
        ScalarMath<T>.Tanh(input + (nint)b0 * InputSize, output + (nint)b0 * OutputSize, (b1 - b0) * OutputSize);

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        nint start = (nint)b0 * OutputSize;
        T* y = output + start, dOut = dOutput + start, dIn = dInput + start;
        int count = (b1 - b0) * OutputSize, i = 0;
        Vector<T> one = Vector<T>.One;
        for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
        {
            Vector<T> v = Vector.Load(y + i);
            Vector.Store(Vector.Load(dOut + i) * (one - v * v), dIn + i);
        }
        for (; i < count; i++)
        {
            dIn[i] = dOut[i] * (T.One - y[i] * y[i]);
        }
    }
}
