using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnParity.Core.NumPy.Simd;

/// <summary>
/// <c>np.tanh</c> for float32, several lanes at a time: NumPy's <c>simd_tanh_f32</c> with <see cref="Vector512"/>
/// (AVX-512: one two-source permute per table row picks among the 32 intervals, as NumPy does on AVX512_SKX) or
/// <see cref="Vector256"/> (AVX2: one gather per row). Lanes never mix and each does what
/// <see cref="NumPyTanhFloat32.Tanh(float)"/> does (the same index, table entries, six fused multiply-adds and sign),
/// so every width gives the scalar port's bits; lanes NumPy sends to <c>tanhf</c> are recomputed by the scalar port.
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
            for (; i <= count - 16; i += 16)
            {
                Vector512.Store(Tanh(Vector512.Load(src + i)), dst + i);
            }
        }
        if (Use256)
        {
            for (; i <= count - 8; i += 8)
            {
                Vector256.Store(Tanh(Vector256.Load(src + i)), dst + i);
            }
        }
        for (; i < count; i++)
        {
            dst[i] = NumPyTanhFloat32.Tanh(src[i]);
        }
    }

    private static Vector512<float> Tanh(Vector512<float> x)
    {
        Vector512<int> denorm = x.AsInt32() & Vector512.Create(0x7fe00000);
        Vector512<int> idx = Vector512.ShiftRightLogical(
            Vector512.Min(Vector512.Max(denorm - Vector512.Create(0x3d400000), Vector512<int>.Zero), Vector512.Create(0x3e00000)), 21);
        float* t = Table;
        Vector512<float> y = Vector512.Abs(x) - Lookup(t, 0, idx);
        Vector512<float> r = Vector512.FusedMultiplyAdd(Lookup(t, 7, idx), y, Lookup(t, 6, idx));
        for (int row = 5; row >= 1; row--)
        {
            r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, row, idx));
        }
        r = (r.AsInt32() | (x.AsInt32() & Vector512.Create(int.MinValue))).AsSingle();
        if (Vector512.GreaterThanAny(denorm, Vector512.Create(0x7f000000)))
        {
            r = Callout(x, r, Vector512<float>.Count);
        }
        return r;
    }

    private static Vector256<float> Tanh(Vector256<float> x)
    {
        Vector256<int> denorm = x.AsInt32() & Vector256.Create(0x7fe00000);
        Vector256<int> idx = Vector256.ShiftRightLogical(
            Vector256.Min(Vector256.Max(denorm - Vector256.Create(0x3d400000), Vector256<int>.Zero), Vector256.Create(0x3e00000)), 21);
        float* t = Table;
        Vector256<float> y = Vector256.Abs(x) - Avx2.GatherVector256(t, idx, 4);
        Vector256<float> r = Fma.MultiplyAdd(Avx2.GatherVector256(t + 7 * Intervals, idx, 4), y, Avx2.GatherVector256(t + 6 * Intervals, idx, 4));
        for (int row = 5; row >= 1; row--)
        {
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + row * Intervals, idx, 4));
        }
        r = (r.AsInt32() | (x.AsInt32() & Vector256.Create(int.MinValue))).AsSingle();
        if (Vector256.GreaterThanAny(denorm, Vector256.Create(0x7f000000)))
        {
            r = Callout(x, r);
        }
        return r;
    }

    // Row `row` of the table for each lane's interval: vpermt2ps over the row's two halves of 16.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Lookup(float* t, int row, Vector512<int> idx) =>
        Avx512F.PermuteVar16x32x2(Vector512.Load(t + row * Intervals), idx, Vector512.Load(t + row * Intervals + 16));

    private static Vector512<float> Callout(Vector512<float> x, Vector512<float> r, int lanes)
    {
        float* lanesX = stackalloc float[lanes];
        float* lanesR = stackalloc float[lanes];
        Vector512.Store(x, lanesX);
        Vector512.Store(r, lanesR);
        for (int i = 0; i < lanes; i++)
        {
            if ((BitConverter.SingleToInt32Bits(lanesX[i]) & 0x7fe00000) > 0x7f000000)
            {
                lanesR[i] = NumPyTanhFloat32.Tanh(lanesX[i]);
            }
        }
        return Vector512.Load(lanesR);
    }

    private static Vector256<float> Callout(Vector256<float> x, Vector256<float> r)
    {
        float* lanesX = stackalloc float[8];
        float* lanesR = stackalloc float[8];
        Vector256.Store(x, lanesX);
        Vector256.Store(r, lanesR);
        for (int i = 0; i < 8; i++)
        {
            if ((BitConverter.SingleToInt32Bits(lanesX[i]) & 0x7fe00000) > 0x7f000000)
            {
                lanesR[i] = NumPyTanhFloat32.Tanh(lanesX[i]);
            }
        }
        return Vector256.Load(lanesR);
    }

    private static float[] PinnedCopy(float[] values)
    {
        float[] pinned = GC.AllocateArray<float>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }
}
