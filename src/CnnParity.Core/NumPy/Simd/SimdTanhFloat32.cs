using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnParity.Core.NumPy.Simd;

/// <summary>
/// <c>np.tanh</c> for float32, several lanes at a time: NumPy's <c>simd_tanh_f32</c> with <see cref="Vector512"/>
/// (AVX-512: one two-source permute per table row picks among the 32 intervals, as NumPy does on AVX512_SKX) or
/// <see cref="Vector256"/> (AVX2: one gather per row). Lanes never mix and each does what
/// <see cref="NumPyTanhFloat32.Tanh(float)"/> does (the same index, table entries, six fused multiply-adds and sign),
/// so every width gives the scalar port's bits; a group of values holding one that NumPy sends to <c>tanhf</c> is
/// done by the scalar port.
/// </summary>
public static unsafe class SimdTanhFloat32
{
    private const int Intervals = NumPyTanhFloat32.Intervals;

    private static readonly float[] Rows = PinnedCopy(NumPyTanhFloat32.ByRow());
    private static readonly float* Table = (float*)Unsafe.AsPointer(ref Rows[0]);

    /// <summary>Which kernel the span overload uses on this CPU: "avx512", "avx2" or "scalar".</summary>
    public static string Kernel => Use512 ? "avx512" : Use256 ? "avx2" : "scalar";

    private static bool Use512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    private static bool Use256 => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Element-wise <c>np.tanh</c> on float32; <paramref name="destination"/> may be the source (in place).</summary>
    public static void Tanh(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }
        fixed (float* src = source)
        fixed (float* dst = destination)
        {
            Tanh(src, dst, source.Length);
        }
    }

    /// <summary>Element-wise <c>np.tanh</c> of <paramref name="count"/> values; <paramref name="dst"/> may be <paramref name="src"/>.</summary>
    internal static void Tanh(float* src, float* dst, int count) => Tanh(src, dst, count, Use512);

    /// <summary>As above, with or without the AVX-512 kernel (the tests run both where both exist).</summary>
    internal static void Tanh(float* src, float* dst, int count, bool use512)
    {
        int i = 0;
        if (use512 && Use512)
        {
            for (; i <= count - 64; i += 64)
            {
                Tanh64(src + i, dst + i);
            }
        }
        if (Use256)
        {
            for (; i <= count - 32; i += 32)
            {
                Tanh32(src + i, dst + i);
            }
        }
        for (; i < count; i++)
        {
            dst[i] = NumPyTanhFloat32.Tanh(src[i]);
        }
    }

    // 64 values as four independent Horner chains (one chain of six dependent FMAs would leave the FMA units waiting
    // on latency). Lanes NumPy sends to tanhf (|x| >= 1.25·2^127, inf, NaN) are rare: a group holding one is done by
    // the scalar port, which gives every lane's bits.
    private static void Tanh64(float* src, float* dst)
    {
        Vector512<float> x0 = Vector512.Load(src), x1 = Vector512.Load(src + 16), x2 = Vector512.Load(src + 32), x3 = Vector512.Load(src + 48);
        Vector512<int> mask = Vector512.Create(0x7fe00000), callout = Vector512.Create(0x7f000000);
        Vector512<int> d0 = x0.AsInt32() & mask, d1 = x1.AsInt32() & mask, d2 = x2.AsInt32() & mask, d3 = x3.AsInt32() & mask;
        if (Vector512.GreaterThanAny(Vector512.Max(Vector512.Max(d0, d1), Vector512.Max(d2, d3)), callout))
        {
            for (int i = 0; i < 64; i++)
            {
                dst[i] = NumPyTanhFloat32.Tanh(src[i]);
            }
            return;
        }
        Vector512<int> i0 = Interval(d0), i1 = Interval(d1), i2 = Interval(d2), i3 = Interval(d3);
        float* t = Table;
        Vector512<float> y0 = Vector512.Abs(x0) - Lookup(t, 0, i0), y1 = Vector512.Abs(x1) - Lookup(t, 0, i1);
        Vector512<float> y2 = Vector512.Abs(x2) - Lookup(t, 0, i2), y3 = Vector512.Abs(x3) - Lookup(t, 0, i3);
        Vector512<float> r0 = Vector512.FusedMultiplyAdd(Lookup(t, 7, i0), y0, Lookup(t, 6, i0));
        Vector512<float> r1 = Vector512.FusedMultiplyAdd(Lookup(t, 7, i1), y1, Lookup(t, 6, i1));
        Vector512<float> r2 = Vector512.FusedMultiplyAdd(Lookup(t, 7, i2), y2, Lookup(t, 6, i2));
        Vector512<float> r3 = Vector512.FusedMultiplyAdd(Lookup(t, 7, i3), y3, Lookup(t, 6, i3));
        for (int row = 5; row >= 1; row--)
        {
            Vector512<float> lo = Vector512.Load(t + row * Intervals), hi = Vector512.Load(t + row * Intervals + 16);
            r0 = Vector512.FusedMultiplyAdd(r0, y0, Avx512F.PermuteVar16x32x2(lo, i0, hi));
            r1 = Vector512.FusedMultiplyAdd(r1, y1, Avx512F.PermuteVar16x32x2(lo, i1, hi));
            r2 = Vector512.FusedMultiplyAdd(r2, y2, Avx512F.PermuteVar16x32x2(lo, i2, hi));
            r3 = Vector512.FusedMultiplyAdd(r3, y3, Avx512F.PermuteVar16x32x2(lo, i3, hi));
        }
        Vector512<int> sign = Vector512.Create(int.MinValue);
        Vector512.Store((r0.AsInt32() | (x0.AsInt32() & sign)).AsSingle(), dst);
        Vector512.Store((r1.AsInt32() | (x1.AsInt32() & sign)).AsSingle(), dst + 16);
        Vector512.Store((r2.AsInt32() | (x2.AsInt32() & sign)).AsSingle(), dst + 32);
        Vector512.Store((r3.AsInt32() | (x3.AsInt32() & sign)).AsSingle(), dst + 48);
    }

    // The same with AVX2: four vectors of eight, each table row one gather per vector.
    private static void Tanh32(float* src, float* dst)
    {
        Vector256<float> x0 = Vector256.Load(src), x1 = Vector256.Load(src + 8), x2 = Vector256.Load(src + 16), x3 = Vector256.Load(src + 24);
        Vector256<int> mask = Vector256.Create(0x7fe00000), callout = Vector256.Create(0x7f000000);
        Vector256<int> d0 = x0.AsInt32() & mask, d1 = x1.AsInt32() & mask, d2 = x2.AsInt32() & mask, d3 = x3.AsInt32() & mask;
        if (Vector256.GreaterThanAny(Vector256.Max(Vector256.Max(d0, d1), Vector256.Max(d2, d3)), callout))
        {
            for (int i = 0; i < 32; i++)
            {
                dst[i] = NumPyTanhFloat32.Tanh(src[i]);
            }
            return;
        }
        Vector256<int> i0 = Interval(d0), i1 = Interval(d1), i2 = Interval(d2), i3 = Interval(d3);
        float* t = Table;
        Vector256<float> y0 = Vector256.Abs(x0) - Avx2.GatherVector256(t, i0, 4), y1 = Vector256.Abs(x1) - Avx2.GatherVector256(t, i1, 4);
        Vector256<float> y2 = Vector256.Abs(x2) - Avx2.GatherVector256(t, i2, 4), y3 = Vector256.Abs(x3) - Avx2.GatherVector256(t, i3, 4);
        float* c7 = t + 7 * Intervals, c6 = t + 6 * Intervals;
        Vector256<float> r0 = Fma.MultiplyAdd(Avx2.GatherVector256(c7, i0, 4), y0, Avx2.GatherVector256(c6, i0, 4));
        Vector256<float> r1 = Fma.MultiplyAdd(Avx2.GatherVector256(c7, i1, 4), y1, Avx2.GatherVector256(c6, i1, 4));
        Vector256<float> r2 = Fma.MultiplyAdd(Avx2.GatherVector256(c7, i2, 4), y2, Avx2.GatherVector256(c6, i2, 4));
        Vector256<float> r3 = Fma.MultiplyAdd(Avx2.GatherVector256(c7, i3, 4), y3, Avx2.GatherVector256(c6, i3, 4));
        for (int row = 5; row >= 1; row--)
        {
            float* c = t + row * Intervals;
            r0 = Fma.MultiplyAdd(r0, y0, Avx2.GatherVector256(c, i0, 4));
            r1 = Fma.MultiplyAdd(r1, y1, Avx2.GatherVector256(c, i1, 4));
            r2 = Fma.MultiplyAdd(r2, y2, Avx2.GatherVector256(c, i2, 4));
            r3 = Fma.MultiplyAdd(r3, y3, Avx2.GatherVector256(c, i3, 4));
        }
        Vector256<int> sign = Vector256.Create(int.MinValue);
        Vector256.Store((r0.AsInt32() | (x0.AsInt32() & sign)).AsSingle(), dst);
        Vector256.Store((r1.AsInt32() | (x1.AsInt32() & sign)).AsSingle(), dst + 8);
        Vector256.Store((r2.AsInt32() | (x2.AsInt32() & sign)).AsSingle(), dst + 16);
        Vector256.Store((r3.AsInt32() | (x3.AsInt32() & sign)).AsSingle(), dst + 24);
    }

    // NumPy's interval index from (bits & 0x7fe00000): subtract 0x3d400000, clamp to [0, 0x3e00000], shift right by 21.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<int> Interval(Vector512<int> denorm) => Vector512.ShiftRightLogical(
        Vector512.Min(Vector512.Max(denorm - Vector512.Create(0x3d400000), Vector512<int>.Zero), Vector512.Create(0x3e00000)), 21);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<int> Interval(Vector256<int> denorm) => Vector256.ShiftRightLogical(
        Vector256.Min(Vector256.Max(denorm - Vector256.Create(0x3d400000), Vector256<int>.Zero), Vector256.Create(0x3e00000)), 21);

    // Row `row` of the table for each lane's interval: vpermt2ps over the row's two halves of 16.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lookup(float* t, int row, Vector512<int> idx) =>
        Avx512F.PermuteVar16x32x2(Vector512.Load(t + row * Intervals), idx, Vector512.Load(t + row * Intervals + 16));

    private static float[] PinnedCopy(float[] values)
    {
        float[] pinned = GC.AllocateArray<float>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }
}
