using System.Numerics;
using System.Runtime.CompilerServices;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;

namespace CnnParity.Core.Engines.Kernels;

/// <summary>
/// The transcendental functions of the engine, chosen per element type. float64 takes NumPy's own kernels (so a
/// NumPy golden can be matched): <c>np.tanh</c> (<see cref="SimdTanh"/>) and <c>np.exp</c> with the kernel of the
/// NumPy being mirrored (<see cref="NumPyExp"/>); float32 takes NumPy's float32 tanh (<see cref="SimdTanhFloat32"/>,
/// why there: <see cref="NumPyTanhFloat32"/>) and <see cref="MathF.Exp"/>. The log of the loss is
/// <see cref="Math.Log"/> / <see cref="MathF.Log"/> (glibc); NumPy's AVX-512 <c>np.log</c> is not ported, so the
/// golden tests compare the loss within a named tolerance. The <c>typeof</c> tests fold away when the JIT compiles
/// each instantiation.
/// </summary>
internal static unsafe class ScalarMath<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>tanh of <paramref name="count"/> values; <paramref name="dst"/> may be <paramref name="src"/>.</summary>
    public static void Tanh(T* src, T* dst, int count)
    {
        if (typeof(T) == typeof(double))
        {
            SimdTanh.Tanh((double*)src, (double*)dst, count, VectorWidths.Native);
        }
        else
        {
            SimdTanhFloat32.Tanh((float*)src, (float*)dst, count);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Exp(T x, NumPyExpKernel kernel)
    {
        if (typeof(T) == typeof(double))
        {
            double d = Unsafe.As<T, double>(ref x);
            double e = kernel == NumPyExpKernel.Svml ? NumPyExp.Exp(d) : Math.Exp(d);
            return Unsafe.As<double, T>(ref e);
        }
        float f = MathF.Exp(Unsafe.As<T, float>(ref x));
        return Unsafe.As<float, T>(ref f);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T Log(T x)
    {
        if (typeof(T) == typeof(double))
        {
            double l = Math.Log(Unsafe.As<T, double>(ref x));
            return Unsafe.As<double, T>(ref l);
        }
        float f = MathF.Log(Unsafe.As<T, float>(ref x));
        return Unsafe.As<float, T>(ref f);
    }

    /// <summary>A double rounded once to T (exact for float64).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static T From(double value) => T.CreateTruncating(value);
}
