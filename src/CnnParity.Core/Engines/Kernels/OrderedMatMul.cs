using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace CnnParity.Core.Engines.Kernels;

/// <summary>
/// The one matrix product of the engine, with the order of every sum fixed:
/// <code>
/// C[m, n] = ((start + A[m,0]·B[0,n]) + A[m,1]·B[1,n]) + ... + A[m,K-1]·B[K-1,n]      start = +0, or C[m, n] to accumulate
///           then + rowBias[m], then + colBias[n]                                       (each where given)
/// </code>
/// every product and every sum rounded on its own (no fused multiply-add), k ascending. Each output is one sequential
/// sum, so the result does not depend on blocking, vector width or threads: SIMD lanes hold neighbouring outputs
/// C[m, n..n+V), never parts of one sum, and a caller splits rows or columns between threads, never k.
/// <para>
/// Layout: A[m, k] at <c>a + m·aRow + k·aCol</c> (any strides: A's entries are broadcast one at a time), row k of
/// B at <c>b + k·ldb</c> and row m of C at <c>c + m·ldc</c>, both contiguous in n. Optional tables of row offsets
/// replace <c>m·aRow</c> (<c>aRows[m]</c>) and <c>k·ldb</c> (<c>bRows[k]</c>): then the rows of A or B may be
/// windows into one image (a convolution reads its input in place instead of copying patches). Columns go in blocks of three
/// vectors, rows in blocks of four (12 accumulators in registers), so each loaded row of B serves four outputs; a
/// single vector of columns goes eight rows at a time. Columns that do not fill a vector: when overwriting, the last vector is moved back to end at n (it recomputes
/// some outputs, to the same bits); when accumulating, they are summed one by one, in the same order.
/// </para>
/// </summary>
internal static unsafe class OrderedMatMul
{
    /// <summary>Computes C as above; <paramref name="accumulate"/> starts each sum from C's value instead of +0.</summary>
    public static void Run<T>(int m, int n, int k, T* a, nint aRow, nint aCol, T* b, nint ldb, T* c, nint ldc,
        bool accumulate, T* rowBias = null, T* colBias = null, nint* aRows = null, nint* bRows = null)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        Run(true, m, n, k, a, aRow, aCol, b, ldb, c, ldc, accumulate, rowBias, colBias, aRows, bRows);

    /// <summary>As above, with or without 512-bit vectors (the tests run both where both exist).</summary>
    internal static void Run<T>(bool use512, int m, int n, int k, T* a, nint aRow, nint aCol, T* b, nint ldb, T* c, nint ldc,
        bool accumulate, T* rowBias = null, T* colBias = null, nint* aRows = null, nint* bRows = null)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        if (m <= 0 || n <= 0)
        {
            return;
        }
        var args = new Args<T>(k, a, aRow, aCol, b, ldb, c, ldc, accumulate, rowBias, colBias, aRows, bRows);
        use512 &= Vector512.IsHardwareAccelerated;
        if (bRows != null)
        {
            Dispatch<T, Table>(use512, m, n, args);
        }
        else
        {
            Dispatch<T, Strided>(use512, m, n, args);
        }
    }

    private static void Dispatch<T, TB>(bool use512, int m, int n, in Args<T> args)
        where T : unmanaged, IFloatingPointIeee754<T>
        where TB : struct, IRowAddressing
    {
        if (use512 && n >= Vector512<T>.Count)
        {
            Vectorised<Lanes512<T>, Vector512<T>, T, TB>(m, n, args);
        }
        else if (Vector256.IsHardwareAccelerated && n >= Vector256<T>.Count)
        {
            Vectorised<Lanes256<T>, Vector256<T>, T, TB>(m, n, args);
        }
        else
        {
            Scalar(m, 0, n, args);
        }
    }

    /// <summary>The same sums one output at a time: the definition the vector code is tested against.</summary>
    internal static void Scalar<T>(int m, int n0, int n1, in Args<T> x)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        for (int i = 0; i < m; i++)
        {
            for (int j = n0; j < n1; j++)
            {
                T* out_ = x.C + i * x.Ldc + j;
                T acc = x.Accumulate ? *out_ : T.Zero;
                T* ai = x.ARowStart(i);
                for (int p = 0; p < x.K; p++)
                {
                    acc += ai[p * x.ACol] * x.BRowStart(p)[j];
                }
                if (x.RowBias != null)
                {
                    acc += x.RowBias[i];
                }
                if (x.ColBias != null)
                {
                    acc += x.ColBias[j];
                }
                *out_ = acc;
            }
        }
    }

    private static void Vectorised<TL, TV, T, TB>(int m, int n, in Args<T> x)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TB : struct, IRowAddressing
    {
        int v = TL.Count;
        int j = 0;
        for (; j + 3 * v <= n; j += 3 * v)
        {
            Rows<TL, TV, T, TB, Three>(m, j, x);
        }
        for (; j + v <= n; j += v)
        {
            Rows<TL, TV, T, TB, One>(m, j, x);
        }
        if (j < n)
        {
            if (x.Accumulate)
            {
                Scalar(m, j, n, x); // an output computed twice would be accumulated twice
            }
            else
            {
                Rows<TL, TV, T, TB, One>(m, n - v, x); // overlaps outputs already computed: the same bits again
            }
        }
    }

    private static void Rows<TL, TV, T, TB, TC>(int m, int j, in Args<T> x)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TB : struct, IRowAddressing
        where TC : struct, IConstant
    {
        int i = 0;
        if (TC.Value == 1)
        {
            // One vector of columns: eight rows side by side, so that eight independent sums hide the latency of an add.
            for (; i + 8 <= m; i += 8)
            {
                TallBlock<TL, TV, T, TB>(i, j, x);
            }
        }
        for (; i + 4 <= m; i += 4)
        {
            Block<TL, TV, T, TB, Four, TC>(i, j, x);
        }
        switch (m - i)
        {
            case 3: Block<TL, TV, T, TB, Three, TC>(i, j, x); break;
            case 2: Block<TL, TV, T, TB, Two, TC>(i, j, x); break;
            case 1: Block<TL, TV, T, TB, One, TC>(i, j, x); break;
        }
    }

    // TR rows x TC vectors of outputs, all sums running side by side over k. The constant type parameters are folded
    // by the JIT, so each instantiation keeps only its own accumulators and its own way of finding B's rows.
    private static void Block<TL, TV, T, TB, TR, TC>(int i, int j, in Args<T> x)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TB : struct, IRowAddressing
        where TR : struct, IConstant
        where TC : struct, IConstant
    {
        int v = TL.Count;
        T* c0 = x.C + i * x.Ldc + j, c1 = c0 + x.Ldc, c2 = c1 + x.Ldc, c3 = c2 + x.Ldc;
        TV s00 = TL.Zero, s01 = TL.Zero, s02 = TL.Zero, s10 = TL.Zero, s11 = TL.Zero, s12 = TL.Zero;
        TV s20 = TL.Zero, s21 = TL.Zero, s22 = TL.Zero, s30 = TL.Zero, s31 = TL.Zero, s32 = TL.Zero;
        if (x.Accumulate)
        {
            Load<TL, TV, T, TC>(c0, ref s00, ref s01, ref s02);
            if (TR.Value > 1) Load<TL, TV, T, TC>(c1, ref s10, ref s11, ref s12);
            if (TR.Value > 2) Load<TL, TV, T, TC>(c2, ref s20, ref s21, ref s22);
            if (TR.Value > 3) Load<TL, TV, T, TC>(c3, ref s30, ref s31, ref s32);
        }
        T* a0 = x.ARowStart(i);
        T* a1 = TR.Value > 1 ? x.ARowStart(i + 1) : a0;
        T* a2 = TR.Value > 2 ? x.ARowStart(i + 2) : a0;
        T* a3 = TR.Value > 3 ? x.ARowStart(i + 3) : a0;
        T* b = x.B + j;
        nint aCol = x.ACol, ldb = x.Ldb;
        nint* bRows = x.BRows;
        for (int p = 0; p < x.K; p++, a0 += aCol, a1 += aCol, a2 += aCol, a3 += aCol)
        {
            T* bp = TB.Indirect ? b + bRows[p] : b;
            TV b0 = TL.Load(bp);
            TV b1 = TC.Value > 1 ? TL.Load(bp + v) : default;
            TV b2 = TC.Value > 2 ? TL.Load(bp + 2 * v) : default;
            Madd<TL, TV, T, TC>(TL.Broadcast(*a0), b0, b1, b2, ref s00, ref s01, ref s02);
            if (TR.Value > 1) Madd<TL, TV, T, TC>(TL.Broadcast(*a1), b0, b1, b2, ref s10, ref s11, ref s12);
            if (TR.Value > 2) Madd<TL, TV, T, TC>(TL.Broadcast(*a2), b0, b1, b2, ref s20, ref s21, ref s22);
            if (TR.Value > 3) Madd<TL, TV, T, TC>(TL.Broadcast(*a3), b0, b1, b2, ref s30, ref s31, ref s32);
            if (!TB.Indirect)
            {
                b += ldb;
            }
        }
        Finish<TL, TV, T, TC>(x, i, j, c0, s00, s01, s02);
        if (TR.Value > 1) Finish<TL, TV, T, TC>(x, i + 1, j, c1, s10, s11, s12);
        if (TR.Value > 2) Finish<TL, TV, T, TC>(x, i + 2, j, c2, s20, s21, s22);
        if (TR.Value > 3) Finish<TL, TV, T, TC>(x, i + 3, j, c3, s30, s31, s32);
    }

    // Eight rows x one vector of outputs: the shape of a product whose columns are few (a weight gradient's channels).
    private static void TallBlock<TL, TV, T, TB>(int i, int j, in Args<T> x)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TB : struct, IRowAddressing
    {
        T* c = x.C + i * x.Ldc + j;
        nint ldc = x.Ldc;
        TV s0 = TL.Zero, s1 = TL.Zero, s2 = TL.Zero, s3 = TL.Zero, s4 = TL.Zero, s5 = TL.Zero, s6 = TL.Zero, s7 = TL.Zero;
        if (x.Accumulate)
        {
            (s0, s1, s2, s3) = (TL.Load(c), TL.Load(c + ldc), TL.Load(c + 2 * ldc), TL.Load(c + 3 * ldc));
            (s4, s5, s6, s7) = (TL.Load(c + 4 * ldc), TL.Load(c + 5 * ldc), TL.Load(c + 6 * ldc), TL.Load(c + 7 * ldc));
        }
        T* a0 = x.ARowStart(i), a1 = x.ARowStart(i + 1), a2 = x.ARowStart(i + 2), a3 = x.ARowStart(i + 3);
        T* a4 = x.ARowStart(i + 4), a5 = x.ARowStart(i + 5), a6 = x.ARowStart(i + 6), a7 = x.ARowStart(i + 7);
        T* b = x.B + j;
        nint aCol = x.ACol, ldb = x.Ldb;
        nint* bRows = x.BRows;
        for (nint p = 0; p < x.K; p++)
        {
            TV bp = TL.Load(TB.Indirect ? b + bRows[p] : b + p * ldb);
            nint at = p * aCol;
            s0 = TL.Add(s0, TL.Multiply(TL.Broadcast(a0[at]), bp));
            s1 = TL.Add(s1, TL.Multiply(TL.Broadcast(a1[at]), bp));
            s2 = TL.Add(s2, TL.Multiply(TL.Broadcast(a2[at]), bp));
            s3 = TL.Add(s3, TL.Multiply(TL.Broadcast(a3[at]), bp));
            s4 = TL.Add(s4, TL.Multiply(TL.Broadcast(a4[at]), bp));
            s5 = TL.Add(s5, TL.Multiply(TL.Broadcast(a5[at]), bp));
            s6 = TL.Add(s6, TL.Multiply(TL.Broadcast(a6[at]), bp));
            s7 = TL.Add(s7, TL.Multiply(TL.Broadcast(a7[at]), bp));
        }
        Finish<TL, TV, T, One>(x, i, j, c, s0, default, default);
        Finish<TL, TV, T, One>(x, i + 1, j, c + ldc, s1, default, default);
        Finish<TL, TV, T, One>(x, i + 2, j, c + 2 * ldc, s2, default, default);
        Finish<TL, TV, T, One>(x, i + 3, j, c + 3 * ldc, s3, default, default);
        Finish<TL, TV, T, One>(x, i + 4, j, c + 4 * ldc, s4, default, default);
        Finish<TL, TV, T, One>(x, i + 5, j, c + 5 * ldc, s5, default, default);
        Finish<TL, TV, T, One>(x, i + 6, j, c + 6 * ldc, s6, default, default);
        Finish<TL, TV, T, One>(x, i + 7, j, c + 7 * ldc, s7, default, default);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Load<TL, TV, T, TC>(T* c, ref TV s0, ref TV s1, ref TV s2)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TC : struct, IConstant
    {
        s0 = TL.Load(c);
        if (TC.Value > 1) s1 = TL.Load(c + TL.Count);
        if (TC.Value > 2) s2 = TL.Load(c + 2 * TL.Count);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Madd<TL, TV, T, TC>(TV a, TV b0, TV b1, TV b2, ref TV s0, ref TV s1, ref TV s2)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TC : struct, IConstant
    {
        s0 = TL.Add(s0, TL.Multiply(a, b0));
        if (TC.Value > 1) s1 = TL.Add(s1, TL.Multiply(a, b1));
        if (TC.Value > 2) s2 = TL.Add(s2, TL.Multiply(a, b2));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Finish<TL, TV, T, TC>(in Args<T> x, int i, int j, T* c, TV s0, TV s1, TV s2)
        where TL : struct, ISimdLanes<TV, T>
        where TV : struct
        where T : unmanaged, IFloatingPointIeee754<T>
        where TC : struct, IConstant
    {
        int v = TL.Count;
        if (x.RowBias != null)
        {
            TV r = TL.Broadcast(x.RowBias[i]);
            s0 = TL.Add(s0, r);
            if (TC.Value > 1) s1 = TL.Add(s1, r);
            if (TC.Value > 2) s2 = TL.Add(s2, r);
        }
        if (x.ColBias != null)
        {
            T* bias = x.ColBias + j;
            s0 = TL.Add(s0, TL.Load(bias));
            if (TC.Value > 1) s1 = TL.Add(s1, TL.Load(bias + v));
            if (TC.Value > 2) s2 = TL.Add(s2, TL.Load(bias + 2 * v));
        }
        TL.Store(s0, c);
        if (TC.Value > 1) TL.Store(s1, c + v);
        if (TC.Value > 2) TL.Store(s2, c + 2 * v);
    }

    /// <summary>The operands of one product, passed by reference through the blocking.</summary>
    internal readonly struct Args<T>(int k, T* a, nint aRow, nint aCol, T* b, nint ldb, T* c, nint ldc, bool accumulate, T* rowBias,
        T* colBias, nint* aRows, nint* bRows)
        where T : unmanaged
    {
        public readonly int K = k;
        public readonly T* A = a;
        public readonly nint ARow = aRow;
        public readonly nint ACol = aCol;
        public readonly T* B = b;
        public readonly nint Ldb = ldb;
        public readonly T* C = c;
        public readonly nint Ldc = ldc;
        public readonly bool Accumulate = accumulate;
        public readonly T* RowBias = rowBias;
        public readonly T* ColBias = colBias;
        public readonly nint* ARows = aRows;
        public readonly nint* BRows = bRows;

        /// <summary>Where row <paramref name="i"/> of A starts (its k = 0 entry).</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T* ARowStart(int i) => ARows != null ? A + ARows[i] : A + i * ARow;

        /// <summary>Where row <paramref name="p"/> of B starts.</summary>
        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public T* BRowStart(int p) => BRows != null ? B + BRows[p] : B + p * Ldb;
    }
}

/// <summary>How the kernel finds B's rows: by stride, or from a table of offsets; fixed per JIT instantiation.</summary>
internal interface IRowAddressing
{
    static abstract bool Indirect { get; }
}

internal readonly struct Strided : IRowAddressing
{
    public static bool Indirect => false;
}

internal readonly struct Table : IRowAddressing
{
    public static bool Indirect => true;
}

/// <summary>A small integer known when the JIT compiles a generic instantiation (block sizes of the kernels).</summary>
internal interface IConstant
{
    static abstract int Value { get; }
}

internal readonly struct One : IConstant
{
    public static int Value => 1;
}

internal readonly struct Two : IConstant
{
    public static int Value => 2;
}

internal readonly struct Three : IConstant
{
    public static int Value => 3;
}

internal readonly struct Four : IConstant
{
    public static int Value => 4;
}
