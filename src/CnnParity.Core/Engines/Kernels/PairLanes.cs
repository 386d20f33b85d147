using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnParity.Core.Engines.Kernels;

/// <summary>
/// Neighbouring pairs of values split into their even and odd members and merged back, a vector at a time: what a
/// 2x2 pool with stride 2 needs to compute a row of windows side by side. Only values move (shuffles within
/// <see cref="Vector256{T}"/>): no arithmetic, so no rounding. float64 and float32; the <c>typeof</c> tests fold away
/// when the JIT compiles each instantiation.
/// </summary>
internal static class PairLanes
{
    /// <summary>The 2V values <c>a</c> then <c>b</c> as (v0, v2, v4, ...) and (v1, v3, v5, ...).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T> Even, Vector256<T> Odd) Split<T>(Vector256<T> a, Vector256<T> b)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        // Each vector's evens into its lower half and odds into its upper half; then halves side by side.
        Vector256<T> sa = Unzip(a), sb = Unzip(b);
        return (Vector256.Create(sa.GetLower(), sb.GetLower()), Vector256.Create(sa.GetUpper(), sb.GetUpper()));
    }

    /// <summary>The inverse of <see cref="Split{T}"/>: (e0, o0, e1, o1, ...) as two vectors.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static (Vector256<T> First, Vector256<T> Second) Merge<T>(Vector256<T> even, Vector256<T> odd)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        (Zip(Vector256.Create(even.GetLower(), odd.GetLower())), Zip(Vector256.Create(even.GetUpper(), odd.GetUpper())));

    // (v0, v1, v2, v3, ...) -> (v0, v2, ..., v1, v3, ...)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Unzip<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.Shuffle(v.AsDouble(), Vector256.Create(0L, 2, 1, 3)).As<double, T>();
        }
        return Vector256.Shuffle(v.AsSingle(), Vector256.Create(0, 2, 4, 6, 1, 3, 5, 7)).As<float, T>();
    }

    // (v0, v2, ..., v1, v3, ...) -> (v0, v1, v2, v3, ...)
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<T> Zip<T>(Vector256<T> v)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (typeof(T) == typeof(double))
        {
            return Vector256.Shuffle(v.AsDouble(), Vector256.Create(0L, 2, 1, 3)).As<double, T>();
        }
        return Vector256.Shuffle(v.AsSingle(), Vector256.Create(0, 4, 1, 5, 2, 6, 3, 7)).As<float, T>();
    }
}
