namespace CnnParity.Core.NumPy;

/// <summary>
/// <c>np.tanh</c> for float32 as NumPy 1.24 computes it on x86-64 with FMA3 (AVX2 or AVX512_SKX dispatch, the same
/// bits): <c>simd_tanh_f32</c> in <c>numpy/core/src/umath/loops_hyperbolic.dispatch.c.src</c> (converted by NumPy
/// from Intel SVML's <c>svml_z0_tanh_s_la.s</c>), ported lane by lane like its float64 sibling <see cref="NumPyTanh"/>.
/// <para>
/// Why this and not <see cref="MathF.Tanh"/> for the float32 engine: it is the float32 twin of the float64 tanh the
/// engine already takes from NumPy (so a float32 NumPy golden could be matched bit for bit), and it is a SIMD kernel
/// (<see cref="Simd.SimdTanhFloat32"/>), where <see cref="MathF.Tanh"/> is glibc's scalar <c>tanhf</c>, called
/// hundreds of millions of times per LeNet-5 epoch. Its error is within a few ULP of the true tanh, as tanhf's.
/// </para>
/// <para>
/// Algorithm: 32 intervals chosen from the exponent and the top two mantissa bits of |x| (interval 0 is
/// |x| &lt; 0.046875, interval 31 is |x| &gt;= 9 with r = 1 exactly); y = |x| - B[idx]; r = C6, then
/// r = fma(r, y, Cj) for j = 5..0; the sign of x is OR-ed back. Inputs with |x| &gt;= 1.25·2^127, infinities and NaNs
/// go to NumPy's scalar <c>npy_tanhf</c>: ±1, and for every NaN the default quiet NaN 0x7fc00000 (measured: sign
/// and payload are not kept, as in the float64 kernel).
/// </para>
/// </summary>
public static class NumPyTanhFloat32
{
    // lut32x8 from simd_tanh_f32, copied row for row (8 rows of 32 intervals): B, then C0..C6.
    private static readonly uint[] Lut32x8 =
    [
        // row 0: B
        0x0,        0x3d700000, 0x3d900000, 0x3db00000, 0x3dd00000, 0x3df00000, 0x3e100000, 0x3e300000,
        0x3e500000, 0x3e700000, 0x3e900000, 0x3eb00000, 0x3ed00000, 0x3ef00000, 0x3f100000, 0x3f300000,
        0x3f500000, 0x3f700000, 0x3f900000, 0x3fb00000, 0x3fd00000, 0x3ff00000, 0x40100000, 0x40300000,
        0x40500000, 0x40700000, 0x40900000, 0x40b00000, 0x40d00000, 0x40f00000, 0x41100000, 0x0,
        // row 1: C0
        0x0,        0x3d6fb9c9, 0x3d8fc35f, 0x3daf9169, 0x3dcf49ab, 0x3deee849, 0x3e0f0ee8, 0x3e2e4984,
        0x3e4d2f8e, 0x3e6bb32e, 0x3e8c51cd, 0x3ea96163, 0x3ec543f1, 0x3edfd735, 0x3f028438, 0x3f18abf0,
        0x3f2bc480, 0x3f3bec1c, 0x3f4f2e5b, 0x3f613c53, 0x3f6ce37d, 0x3f743c4f, 0x3f7a5feb, 0x3f7dea85,
        0x3f7f3b3d, 0x3f7fb78c, 0x3f7fefd4, 0x3f7ffdd0, 0x3f7fffb4, 0x3f7ffff6, 0x3f7fffff, 0x3f800000,
        // row 2: C1
        0x3f800000, 0x3f7f1f84, 0x3f7ebd11, 0x3f7e1e5f, 0x3f7d609f, 0x3f7c842d, 0x3f7b00e5, 0x3f789580,
        0x3f75b8ad, 0x3f726fd9, 0x3f6cc59b, 0x3f63fb92, 0x3f59ff97, 0x3f4f11d7, 0x3f3d7573, 0x3f24f360,
        0x3f0cbfe7, 0x3eec1a69, 0x3eb0a801, 0x3e6753a2, 0x3e132f1a, 0x3db7e7d3, 0x3d320845, 0x3c84d3d4,
        0x3bc477b7, 0x3b10d3da, 0x3a01601e, 0x388c1a3b, 0x3717b0da, 0x35a43bce, 0x338306c6, 0x0,
        // row 3: C2
        0xb0343c7b, 0xbd6ee69d, 0xbd8f0da7, 0xbdae477d, 0xbdcd2a1f, 0xbdeba80d, 0xbe0c443b, 0xbe293cf3,
        0xbe44f282, 0xbe5f3651, 0xbe81c7c0, 0xbe96d7ca, 0xbea7fb8e, 0xbeb50e9e, 0xbec12efe, 0xbec4be92,
        0xbebce070, 0xbead510e, 0xbe8ef7d6, 0xbe4b8704, 0xbe083237, 0xbdaf7449, 0xbd2e1ec4, 0xbc83bf06,
        0xbbc3e0b5, 0xbb10aadc, 0xba0157db, 0xb88c18f2, 0xb717b096, 0xb5a43bae, 0xb383012c, 0x0,
        // row 4: C3
        0xbeaaaaa5, 0xbeab0612, 0xbea7f01f, 0xbea4e120, 0xbea387b7, 0xbea15962, 0xbe9d57f7, 0xbe976b5a,
        0xbe90230d, 0xbe880dff, 0xbe7479b3, 0xbe4c3d88, 0xbe212482, 0xbdeb8cba, 0xbd5e78ad, 0x3c6b5e6e,
        0x3d839143, 0x3dc21ee1, 0x3de347af, 0x3dcbec96, 0x3d99ef2d, 0x3d542ea1, 0x3cdde701, 0x3c2cca67,
        0x3b81cb27, 0x3ac073a1, 0x39ac3032, 0x383a94d9, 0x36ca081d, 0x355abd4c, 0x332b3cb6, 0x0,
        // row 5: C4
        0xb76dd6b9, 0xbe1c276d, 0x3c1dcf2f, 0x3dc1a78d, 0x3d96f985, 0x3da2b61b, 0x3dc13397, 0x3dd2f670,
        0x3df48a0a, 0x3e06c5a8, 0x3e1a3aba, 0x3e27c405, 0x3e2e78d0, 0x3e2c3e44, 0x3e1d3097, 0x3df4a8f4,
        0x3da38508, 0x3d31416a, 0x3b562657, 0xbcaeeac9, 0xbcce9419, 0xbcaaeac4, 0xbc49e7d0, 0xbba71ddd,
        0xbb003b0e, 0xba3f9a05, 0xb92c08a7, 0xb7ba9232, 0xb64a0b0f, 0xb4dac169, 0xb2ab78ac, 0x0,
        // row 6: C5
        0x3e0910e9, 0x43761143, 0x4165ecdc, 0xc190f756, 0xc08c097d, 0xc02ba813, 0xbf7f6bda, 0x3f2b1dc0,
        0x3ece105d, 0x3f426a94, 0xbadb0dc4, 0x3da43b17, 0xbd51ab88, 0xbcaea23d, 0xbd3b6d8d, 0xbd6caaad,
        0xbd795bed, 0xbd5fddda, 0xbd038f3b, 0xbc1cad63, 0x3abb4766, 0x3b95f10b, 0x3b825873, 0x3afaea66,
        0x3a49f878, 0x39996bf3, 0x388f3e6c, 0x371bb0e3, 0x35a8a5e6, 0x34369b17, 0x322487b0, 0x0,
        // row 7: C6
        0xbc0e2f66, 0x460bda12, 0x43d638ef, 0xc3e11c3e, 0xc2baa4e9, 0xc249da2d, 0xc1859b82, 0x40dd5b57,
        0x40494640, 0x40c730a8, 0xbf0f160e, 0x3e30e76f, 0xbea81387, 0xbdb26a1c, 0xbd351e57, 0xbb4c01a0,
        0x3c1d7bfb, 0x3c722cd1, 0x3c973f1c, 0x3c33a31b, 0x3b862ef4, 0x3a27b3d0, 0xba3b5907, 0xba0efc22,
        0xb97f9f0f, 0xb8c8af50, 0xb7bdddfb, 0xb64f2950, 0xb4e085b1, 0xb3731dfa, 0xb15a1f04, 0x0,
    ];

    internal const int Rows = 8;
    internal const int Intervals = 32;

    /// <summary>Row-major, as NumPy's <c>lut32x8</c>: entry <c>[row * 32 + interval]</c>.</summary>
    internal static float[] ByRow() => Array.ConvertAll(Lut32x8, BitConverter.UInt32BitsToSingle);

    private static readonly float[] Table = ByRow();

    private static readonly float DefaultNaN = BitConverter.Int32BitsToSingle(0x7fc00000);

    /// <summary>NumPy's float32 tanh of one value.</summary>
    public static float Tanh(float x)
    {
        int bits = BitConverter.SingleToInt32Bits(x);
        int denorm = bits & 0x7fe00000;
        if (denorm > 0x7f000000)
        {
            // NumPy's callout lanes go to npy_tanhf: ±1 for the huge and the infinite, the default NaN for any NaN.
            return float.IsNaN(x) ? DefaultNaN : MathF.CopySign(1f, x);
        }
        int idx = Math.Min(Math.Max(denorm - 0x3d400000, 0), 0x3e00000) >> 21;
        float[] t = Table;
        float y = MathF.Abs(x) - t[idx];
        float r = MathF.FusedMultiplyAdd(t[7 * Intervals + idx], y, t[6 * Intervals + idx]);
        r = MathF.FusedMultiplyAdd(r, y, t[5 * Intervals + idx]);
        r = MathF.FusedMultiplyAdd(r, y, t[4 * Intervals + idx]);
        r = MathF.FusedMultiplyAdd(r, y, t[3 * Intervals + idx]);
        r = MathF.FusedMultiplyAdd(r, y, t[2 * Intervals + idx]);
        r = MathF.FusedMultiplyAdd(r, y, t[1 * Intervals + idx]);
        return BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(r) | (bits & int.MinValue));
    }

    /// <summary>Element-wise <c>np.tanh</c> on float32; <paramref name="destination"/> may be the source (in place).</summary>
    public static void Tanh(ReadOnlySpan<float> source, Span<float> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = Tanh(source[i]);
        }
    }
}
