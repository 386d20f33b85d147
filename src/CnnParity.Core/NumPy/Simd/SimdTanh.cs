using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace CnnParity.Core.NumPy.Simd;

/// <summary>
/// <c>np.tanh</c> for float64, several lanes at a time: NumPy's <c>simd_tanh_f64</c>
/// (<c>numpy/core/src/umath/loops_hyperbolic.dispatch.c.src</c>) written with <see cref="Vector256"/> and, where the
/// CPU has AVX-512, <see cref="Vector512"/>. NumPy's kernel is itself a SIMD kernel whose lanes never mix, and
/// every lane does what <see cref="NumPyTanh"/> does one value at a time: the same interval index from the exponent
/// bits, the same table entries, <c>|x| - B</c>, the same 16 fused multiply-adds (a vector FMA rounds each lane once,
/// exactly as <see cref="Math.FusedMultiplyAdd"/> does) and the sign OR-ed back. So every lane has the bits of the
/// scalar port, whatever the width; the tests hold the two against each other.
/// <para>
/// Only the table lookup differs between widths, and a lookup returns table entries, not arithmetic: with AVX-512
/// one <c>vpermt2pd</c> per row picks from the 16 intervals (as NumPy does on AVX512_SKX); with AVX2 a row is one
/// broadcast when all lanes fall in the same interval (the common case: activations below 0.125, interval 0) and a
/// <c>vgatherqpd</c> otherwise. Lanes that NumPy sends to its scalar fallback (|x| &gt;= 1.5·2^1023, ±inf, NaN)
/// are recomputed with <see cref="NumPyTanh.Tanh(double)"/>. The span kernel runs blocks of values as eight
/// independent Horner chains (32 values at 256 bits, 64 at 512), so that the FMA units are not left waiting on one
/// chain's latency. Which width runs is the caller's choice (<see cref="VectorWidth"/>); every width gives NumPy's bits.
/// </para>
/// </summary>
public static unsafe class SimdTanh
{
    private const int Rows = TanhTable.Rows;           // B, C0..C16
    private const int Intervals = TanhTable.Intervals;

    // Interval-major (one interval's 18 numbers side by side; the AVX2 broadcast/gather) and row-major (one row's 16
    // intervals side by side; the AVX-512 permute), pinned for the life of the process so kernels can hold pointers.
    private static readonly double[] IntervalMajor = PinnedCopy(TanhTable.ByInterval());
    private static readonly double[] RowMajor = PinnedCopy(TanhTable.ByRow());
    private static readonly double* ByInterval = (double*)Unsafe.AsPointer(ref IntervalMajor[0]);
    private static readonly double* ByRow = (double*)Unsafe.AsPointer(ref RowMajor[0]);

    /// <summary>Which kernel the span overload uses on this CPU: "avx512", "avx2" or "scalar".</summary>
    public static string Kernel => VectorWidths.Native == VectorWidth.Bits512 ? "avx512" : UseVector256 ? "avx2" : "scalar";

    /// <summary>AVX-512 (F) with 512-bit vectors accelerated: the width the span overload uses when it can.</summary>
    public static bool UseVector512 => Vector512.IsHardwareAccelerated && Avx512F.IsSupported;

    /// <summary>AVX2 with FMA: the broadcast/gather lookup of the 256-bit kernel.</summary>
    public static bool UseVector256 => Avx2.IsSupported && Fma.IsSupported;

    /// <summary>Element-wise <c>np.tanh</c>; <paramref name="destination"/> may be the source (in place).</summary>
    public static void Tanh(ReadOnlySpan<double> source, Span<double> destination) => Tanh(source, destination, VectorWidths.Native);

    /// <summary>The same at a width of the caller's choosing (tests run both on any CPU: see <see cref="VectorWidth"/>).</summary>
    internal static void Tanh(ReadOnlySpan<double> source, Span<double> destination, VectorWidth width)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }
        fixed (double* src = source)
        fixed (double* dst = destination)
        {
            Tanh(src, dst, source.Length, width);
        }
    }

    /// <summary>Element-wise <c>np.tanh</c> of <paramref name="count"/> values; <paramref name="dst"/> may be <paramref name="src"/>.</summary>
    internal static void Tanh(double* src, double* dst, int count, VectorWidth width)
    {
        int i = 0;
        if (width == VectorWidth.Bits512)
        {
            for (; i <= count - 64; i += 64)
            {
                Tanh64(src + i, dst + i);
            }
            for (; i <= count - 8; i += 8)
            {
                Vector512.Store(Tanh(Vector512.Load(src + i)), dst + i);
            }
        }
        else if (UseVector256)
        {
            for (; i <= count - 32; i += 32)
            {
                Tanh32(src + i, dst + i);
            }
            for (; i <= count - 4; i += 4)
            {
                Vector256.Store(Tanh(Vector256.Load(src + i)), dst + i);
            }
        }
        for (; i < count; i++)
        {
            dst[i] = NumPyTanh.Tanh(src[i]);
        }
    }

    /// <summary>
    /// 32 values as eight independent Horner chains side by side: one chain is 16 dependent FMAs, so a single
    /// vector at a time would leave the FMA units waiting on latency. When all 32 fall in one interval (most
    /// activations are below 0.125: interval 0) each coefficient is one broadcast; otherwise the four-lane kernel
    /// vector by vector.
    /// </summary>
    private static void Tanh32(double* src, double* dst)
    {
        Vector256<double> x0 = Vector256.Load(src), x1 = Vector256.Load(src + 4), x2 = Vector256.Load(src + 8), x3 = Vector256.Load(src + 12);
        Vector256<double> x4 = Vector256.Load(src + 16), x5 = Vector256.Load(src + 20), x6 = Vector256.Load(src + 24), x7 = Vector256.Load(src + 28);
        Vector256<long> i0 = Interval(x0);
        long interval = i0.ToScalar();
        Vector256<long> first = Vector256.Create(interval);
        Vector256<long> differ = (i0 ^ first) | (Interval(x1) ^ first) | (Interval(x2) ^ first) | (Interval(x3) ^ first)
                               | (Interval(x4) ^ first) | (Interval(x5) ^ first) | (Interval(x6) ^ first) | (Interval(x7) ^ first);
        // Interval 15 also holds NumPy's callout lanes (|x| >= 1.5*2^1023, inf, NaN): those take the lane-checking kernels.
        if (interval != Intervals - 1 && differ == Vector256<long>.Zero)
        {
            double* c = ByInterval + interval * Rows;
            Vector256<double> abs = Vector256.Create(-0.0), b = Vector256.Create(c[0]);
            Vector256<double> y0 = Vector256.AndNot(x0, abs) - b, y1 = Vector256.AndNot(x1, abs) - b;
            Vector256<double> y2 = Vector256.AndNot(x2, abs) - b, y3 = Vector256.AndNot(x3, abs) - b;
            Vector256<double> y4 = Vector256.AndNot(x4, abs) - b, y5 = Vector256.AndNot(x5, abs) - b;
            Vector256<double> y6 = Vector256.AndNot(x6, abs) - b, y7 = Vector256.AndNot(x7, abs) - b;
            Vector256<double> c17 = Vector256.Create(c[17]), c16 = Vector256.Create(c[16]);
            Vector256<double> r0 = Fma.MultiplyAdd(c17, y0, c16), r1 = Fma.MultiplyAdd(c17, y1, c16);
            Vector256<double> r2 = Fma.MultiplyAdd(c17, y2, c16), r3 = Fma.MultiplyAdd(c17, y3, c16);
            Vector256<double> r4 = Fma.MultiplyAdd(c17, y4, c16), r5 = Fma.MultiplyAdd(c17, y5, c16);
            Vector256<double> r6 = Fma.MultiplyAdd(c17, y6, c16), r7 = Fma.MultiplyAdd(c17, y7, c16);
            for (int k = 15; k >= 1; k--)
            {
                Vector256<double> ck = Vector256.Create(c[k]);
                r0 = Fma.MultiplyAdd(r0, y0, ck);
                r1 = Fma.MultiplyAdd(r1, y1, ck);
                r2 = Fma.MultiplyAdd(r2, y2, ck);
                r3 = Fma.MultiplyAdd(r3, y3, ck);
                r4 = Fma.MultiplyAdd(r4, y4, ck);
                r5 = Fma.MultiplyAdd(r5, y5, ck);
                r6 = Fma.MultiplyAdd(r6, y6, ck);
                r7 = Fma.MultiplyAdd(r7, y7, ck);
            }
            Vector256.Store(WithSign(r0, x0), dst);
            Vector256.Store(WithSign(r1, x1), dst + 4);
            Vector256.Store(WithSign(r2, x2), dst + 8);
            Vector256.Store(WithSign(r3, x3), dst + 12);
            Vector256.Store(WithSign(r4, x4), dst + 16);
            Vector256.Store(WithSign(r5, x5), dst + 20);
            Vector256.Store(WithSign(r6, x6), dst + 24);
            Vector256.Store(WithSign(r7, x7), dst + 28);
        }
        else
        {
            for (int i = 0; i < 32; i += 4)
            {
                Vector256.Store(Tanh(Vector256.Load(src + i)), dst + i);
            }
        }
    }

    /// <summary>
    /// <see cref="Tanh32"/> with AVX-512: 64 values as eight chains of eight lanes. All in one interval: broadcasts;
    /// otherwise 32 at a time with a permute per coefficient.
    /// </summary>
    private static void Tanh64(double* src, double* dst)
    {
        Vector512<double> x0 = Vector512.Load(src), x1 = Vector512.Load(src + 8), x2 = Vector512.Load(src + 16), x3 = Vector512.Load(src + 24);
        Vector512<double> x4 = Vector512.Load(src + 32), x5 = Vector512.Load(src + 40), x6 = Vector512.Load(src + 48), x7 = Vector512.Load(src + 56);
        Vector512<long> i0 = Interval(x0);
        long interval = i0.ToScalar();
        Vector512<long> first = Vector512.Create(interval);
        Vector512<long> differ = (i0 ^ first) | (Interval(x1) ^ first) | (Interval(x2) ^ first) | (Interval(x3) ^ first)
                               | (Interval(x4) ^ first) | (Interval(x5) ^ first) | (Interval(x6) ^ first) | (Interval(x7) ^ first);
        if (interval == Intervals - 1 || differ != Vector512<long>.Zero)
        {
            Tanh32Permuted(src, dst);
            Tanh32Permuted(src + 32, dst + 32);
            return;
        }
        double* c = ByInterval + interval * Rows;
        Vector512<double> abs = Vector512.Create(-0.0), b = Vector512.Create(c[0]);
        Vector512<double> y0 = Vector512.AndNot(x0, abs) - b, y1 = Vector512.AndNot(x1, abs) - b;
        Vector512<double> y2 = Vector512.AndNot(x2, abs) - b, y3 = Vector512.AndNot(x3, abs) - b;
        Vector512<double> y4 = Vector512.AndNot(x4, abs) - b, y5 = Vector512.AndNot(x5, abs) - b;
        Vector512<double> y6 = Vector512.AndNot(x6, abs) - b, y7 = Vector512.AndNot(x7, abs) - b;
        Vector512<double> c17 = Vector512.Create(c[17]), c16 = Vector512.Create(c[16]);
        Vector512<double> r0 = Vector512.FusedMultiplyAdd(c17, y0, c16), r1 = Vector512.FusedMultiplyAdd(c17, y1, c16);
        Vector512<double> r2 = Vector512.FusedMultiplyAdd(c17, y2, c16), r3 = Vector512.FusedMultiplyAdd(c17, y3, c16);
        Vector512<double> r4 = Vector512.FusedMultiplyAdd(c17, y4, c16), r5 = Vector512.FusedMultiplyAdd(c17, y5, c16);
        Vector512<double> r6 = Vector512.FusedMultiplyAdd(c17, y6, c16), r7 = Vector512.FusedMultiplyAdd(c17, y7, c16);
        for (int k = 15; k >= 1; k--)
        {
            Vector512<double> ck = Vector512.Create(c[k]);
            r0 = Vector512.FusedMultiplyAdd(r0, y0, ck);
            r1 = Vector512.FusedMultiplyAdd(r1, y1, ck);
            r2 = Vector512.FusedMultiplyAdd(r2, y2, ck);
            r3 = Vector512.FusedMultiplyAdd(r3, y3, ck);
            r4 = Vector512.FusedMultiplyAdd(r4, y4, ck);
            r5 = Vector512.FusedMultiplyAdd(r5, y5, ck);
            r6 = Vector512.FusedMultiplyAdd(r6, y6, ck);
            r7 = Vector512.FusedMultiplyAdd(r7, y7, ck);
        }
        Vector512.Store(WithSign(r0, x0), dst);
        Vector512.Store(WithSign(r1, x1), dst + 8);
        Vector512.Store(WithSign(r2, x2), dst + 16);
        Vector512.Store(WithSign(r3, x3), dst + 24);
        Vector512.Store(WithSign(r4, x4), dst + 32);
        Vector512.Store(WithSign(r5, x5), dst + 40);
        Vector512.Store(WithSign(r6, x6), dst + 48);
        Vector512.Store(WithSign(r7, x7), dst + 56);
    }

    // 32 values in four AVX-512 vectors, four Horner chains side by side, each coefficient one permute per vector.
    private static void Tanh32Permuted(double* src, double* dst)
    {
        Vector512<double> x0 = Vector512.Load(src), x1 = Vector512.Load(src + 8), x2 = Vector512.Load(src + 16), x3 = Vector512.Load(src + 24);
        Vector512<long> callout = Vector512.Create(0x7fe0000000000000L), exponent = Vector512.Create(0x7ff8000000000000L);
        if (Vector512.GreaterThanAny(x0.AsInt64() & exponent, callout) || Vector512.GreaterThanAny(x1.AsInt64() & exponent, callout)
            || Vector512.GreaterThanAny(x2.AsInt64() & exponent, callout) || Vector512.GreaterThanAny(x3.AsInt64() & exponent, callout))
        {
            for (int i = 0; i < 32; i += 8)
            {
                Vector512.Store(Tanh(Vector512.Load(src + i)), dst + i);
            }
            return;
        }
        Vector512<long> i0 = Interval(x0), i1 = Interval(x1), i2 = Interval(x2), i3 = Interval(x3);
        double* t = ByRow;
        Vector512<double> abs = Vector512.Create(-0.0);
        Vector512<double> y0 = Vector512.AndNot(x0, abs) - Lookup(t, 0, i0), y1 = Vector512.AndNot(x1, abs) - Lookup(t, 0, i1);
        Vector512<double> y2 = Vector512.AndNot(x2, abs) - Lookup(t, 0, i2), y3 = Vector512.AndNot(x3, abs) - Lookup(t, 0, i3);
        Vector512<double> r0 = Vector512.FusedMultiplyAdd(Lookup(t, 17, i0), y0, Lookup(t, 16, i0));
        Vector512<double> r1 = Vector512.FusedMultiplyAdd(Lookup(t, 17, i1), y1, Lookup(t, 16, i1));
        Vector512<double> r2 = Vector512.FusedMultiplyAdd(Lookup(t, 17, i2), y2, Lookup(t, 16, i2));
        Vector512<double> r3 = Vector512.FusedMultiplyAdd(Lookup(t, 17, i3), y3, Lookup(t, 16, i3));
        for (int k = 15; k >= 1; k--)
        {
            Vector512<double> lo = Vector512.Load(t + k * Intervals), hi = Vector512.Load(t + k * Intervals + 8);
            r0 = Vector512.FusedMultiplyAdd(r0, y0, Pick(lo, i0, hi));
            r1 = Vector512.FusedMultiplyAdd(r1, y1, Pick(lo, i1, hi));
            r2 = Vector512.FusedMultiplyAdd(r2, y2, Pick(lo, i2, hi));
            r3 = Vector512.FusedMultiplyAdd(r3, y3, Pick(lo, i3, hi));
        }
        Vector512.Store(WithSign(r0, x0), dst);
        Vector512.Store(WithSign(r1, x1), dst + 8);
        Vector512.Store(WithSign(r2, x2), dst + 16);
        Vector512.Store(WithSign(r3, x3), dst + 24);
    }

    // NumPy's interval index: (bits & 0x7ff8...) - 0x3fc0..., clamped to [0, 0x780000] in 32-bit lanes, shifted right by 51.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<long> Interval(Vector256<double> x)
    {
        Vector256<long> denorm = x.AsInt64() & Vector256.Create(0x7ff8000000000000L);
        Vector256<int> clamped = Vector256.Min(
            Vector256.Max((denorm - Vector256.Create(0x3fc0000000000000L)).AsInt32(), Vector256<int>.Zero),
            Vector256.Create(0x780000));
        return Vector256.ShiftRightLogical(clamped.AsInt64(), 51);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<long> Interval(Vector512<double> x)
    {
        Vector512<long> denorm = x.AsInt64() & Vector512.Create(0x7ff8000000000000L);
        Vector512<int> clamped = Vector512.Min(
            Vector512.Max((denorm - Vector512.Create(0x3fc0000000000000L)).AsInt32(), Vector512<int>.Zero),
            Vector512.Create(0x780000));
        return Vector512.ShiftRightLogical(clamped.AsInt64(), 51);
    }

    // r | sign(x): NumPy ORs the sign of x back into the polynomial of |x|.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<double> WithSign(Vector256<double> r, Vector256<double> x) =>
        (r.AsInt64() | (x.AsInt64() & Vector256.Create(long.MinValue))).AsDouble();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> WithSign(Vector512<double> r, Vector512<double> x) =>
        (r.AsInt64() | (x.AsInt64() & Vector512.Create(long.MinValue))).AsDouble();

    /// <summary>
    /// Four lanes of <c>simd_tanh_f64</c>, AVX2 + FMA. The interval index is computed as NumPy computes it:
    /// <c>(bits &amp; 0x7ff8...) - 0x3fc0...</c>, clamped to [0, 0x780000] in 32-bit lanes, shifted right by 51.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Tanh(Vector256<double> x)
    {
        Vector256<long> bits = x.AsInt64();
        Vector256<long> denorm = bits & Vector256.Create(0x7ff8000000000000L);
        Vector256<long> idx = Interval(x);
        Vector256<double> y, r;
        if (Vector256.EqualsAll(idx, Vector256.Create(idx.ToScalar())))
        {
            // Every lane in one interval: its 18 numbers are broadcasts.
            double* c = ByInterval + idx.ToScalar() * Rows;
            y = Vector256.AndNot(x, Vector256.Create(-0.0)) - Vector256.Create(c[0]);
            r = Fma.MultiplyAdd(Vector256.Create(c[17]), y, Vector256.Create(c[16]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[15]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[14]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[13]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[12]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[11]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[10]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[9]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[8]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[7]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[6]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[5]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[4]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[3]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[2]));
            r = Fma.MultiplyAdd(r, y, Vector256.Create(c[1]));
        }
        else
        {
            Vector256<long> at = idx * Rows;
            double* t = ByInterval;
            y = Vector256.AndNot(x, Vector256.Create(-0.0)) - Avx2.GatherVector256(t, at, 8);
            r = Fma.MultiplyAdd(Avx2.GatherVector256(t + 17, at, 8), y, Avx2.GatherVector256(t + 16, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 15, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 14, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 13, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 12, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 11, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 10, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 9, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 8, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 7, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 6, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 5, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 4, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 3, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 2, at, 8));
            r = Fma.MultiplyAdd(r, y, Avx2.GatherVector256(t + 1, at, 8));
        }
        Vector256<double> result = WithSign(r, x);
        if (!Vector256.GreaterThanAll(Vector256.Create(0x7fe0000000000001L), denorm))
        {
            result = Special(x, result);
        }
        return result;
    }

    /// <summary>Eight lanes of <c>simd_tanh_f64</c>, AVX-512: each row is one two-table permute, as in NumPy's AVX512_SKX build.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<double> Tanh(Vector512<double> x)
    {
        Vector512<long> bits = x.AsInt64();
        Vector512<long> denorm = bits & Vector512.Create(0x7ff8000000000000L);
        Vector512<long> idx = Interval(x);
        double* t = ByRow;
        Vector512<double> y = Vector512.AndNot(x, Vector512.Create(-0.0)) - Lookup(t, 0, idx);
        Vector512<double> r = Vector512.FusedMultiplyAdd(Lookup(t, 17, idx), y, Lookup(t, 16, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 15, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 14, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 13, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 12, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 11, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 10, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 9, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 8, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 7, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 6, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 5, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 4, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 3, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 2, idx));
        r = Vector512.FusedMultiplyAdd(r, y, Lookup(t, 1, idx));
        Vector512<double> result = WithSign(r, x);
        if (!Vector512.GreaterThanAll(Vector512.Create(0x7fe0000000000001L), denorm))
        {
            result = Special(x, result);
        }
        return result;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Lookup(double* byRow, int row, Vector512<long> idx) =>
        Pick(Vector512.Load(byRow + row * Intervals), idx, Vector512.Load(byRow + row * Intervals + 8));

    // Entry idx (0..15) of the 16 values lo:hi, lane by lane: one vpermt2pd with AVX-512; in software (a test forcing the
    // 512-bit kernel where the CPU has no AVX-512) two one-table shuffles, of which the out-of-range one gives +0.0 bits.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<double> Pick(Vector512<double> lo, Vector512<long> idx, Vector512<double> hi) => Avx512F.IsSupported
        ? Avx512F.PermuteVar8x64x2(lo, idx, hi)
        : (Vector512.Shuffle(lo.AsInt64(), idx) | Vector512.Shuffle(hi.AsInt64(), idx - Vector512.Create(8L))).AsDouble();

    // NumPy's "callout" lanes (|x| >= 1.5*2^1023, ±inf, NaN) go to its scalar npy_tanh; so do they here.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector256<double> Special(Vector256<double> x, Vector256<double> result)
    {
        double* lanes = stackalloc double[4];
        result.Store(lanes);
        for (int i = 0; i < 4; i++)
        {
            if (IsCallout(x.GetElement(i)))
            {
                lanes[i] = NumPyTanh.Tanh(x.GetElement(i));
            }
        }
        return Vector256.Load(lanes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static Vector512<double> Special(Vector512<double> x, Vector512<double> result) =>
        Vector512.Create(Special(x.GetLower(), result.GetLower()), Special(x.GetUpper(), result.GetUpper()));

    private static bool IsCallout(double x) => (BitConverter.DoubleToInt64Bits(x) & 0x7ff8000000000000L) > 0x7fe0000000000000L;

    // An array on the pinned object heap never moves, and a static field keeps it alive: its address is fixed.
    private static double[] PinnedCopy(double[] values)
    {
        double[] pinned = GC.AllocateUninitializedArray<double>(values.Length, pinned: true);
        values.CopyTo(pinned, 0);
        return pinned;
    }
}
