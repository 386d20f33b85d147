using System.Runtime.CompilerServices;

namespace CnnParity.Core.NumPy;

/// <summary>
/// <c>np.tanh</c> for float64 as NumPy 1.24 computes it on x86-64 with FMA3 (AVX2 or AVX512_SKX dispatch, the
/// same bits): not libm, but <c>simd_tanh_f64</c> in <c>numpy/core/src/umath/loops_hyperbolic.dispatch.c.src</c>
/// (converted by NumPy from Intel SVML). <see cref="Math.Tanh"/> differs from it by 1-3 ULP on a large share of
/// inputs, so it is ported here lane by lane; the lanes of the SIMD kernel are independent, so a scalar port
/// gives the same bits (checked on 4 million inputs and an edge list against this machine's np.tanh).
/// <para>
/// Algorithm: 16 intervals chosen from the exponent and the top mantissa bit of |x|;
/// y = |x| - B[idx]; r = C16, then r = fma(r, y, Cj) for j = 15..0 (16 fused multiply-adds);
/// the sign of x is OR-ed back. Interval 15 (|x| &gt;= 24) has r = 1 exactly. Inputs with
/// |x| &gt;= 1.5*2^1023, infinities and NaNs go to NumPy's scalar <c>npy_tanh</c>, which returns
/// ±1 and the default NaN; they are handled here without libm.
/// </para>
/// </summary>
public static class NumPyTanh
{
    // lut16x18 from simd_tanh_f64, copied row for row (18 rows of 16 intervals): B, then C0..C16.
    private static readonly ulong[] Lut16x18 =
    [
        // row 0: B
        0x0000000000000000UL, 0x3fcc000000000000UL, 0x3fd4000000000000UL, 0x3fdc000000000000UL,
        0x3fe4000000000000UL, 0x3fec000000000000UL, 0x3ff4000000000000UL, 0x3ffc000000000000UL,
        0x4004000000000000UL, 0x400c000000000000UL, 0x4014000000000000UL, 0x401c000000000000UL,
        0x4024000000000000UL, 0x402c000000000000UL, 0x4034000000000000UL, 0x0000000000000000UL,
        // row 1: C0
        0x0000000000000000UL, 0x3fcb8fd0416a7c92UL, 0x3fd35f98a0ea650eUL, 0x3fda5729ee488037UL,
        0x3fe1bf47eabb8f95UL, 0x3fe686650b8c2015UL, 0x3feb2523bb6b2deeUL, 0x3fee1fbf97e33527UL,
        0x3fef9258260a71c2UL, 0x3feff112c63a9077UL, 0x3fefff419668df11UL, 0x3feffffc832750f2UL,
        0x3feffffffdc96f35UL, 0x3fefffffffffcf58UL, 0x3ff0000000000000UL, 0x3ff0000000000000UL,
        // row 2: C1
        0x3ff0000000000000UL, 0x3fee842ca3f08532UL, 0x3fed11574af58f1bUL, 0x3fea945b9c24e4f9UL,
        0x3fe6284c3374f815UL, 0x3fe02500a09f8d6eUL, 0x3fd1f25131e3a8c0UL, 0x3fbd22ca1c24a139UL,
        0x3f9b3afe1fba5c76UL, 0x3f6dd37d19b22b21UL, 0x3f27ccec13a9ef96UL, 0x3ecbe6c3f33250aeUL,
        0x3e41b4865394f75fUL, 0x3d8853f01bda5f28UL, 0x3c73953c0197ef58UL, 0x0000000000000000UL,
        // row 3: C2
        0xbbf0b3ea3fdfaa19UL, 0xbfca48aaeb53bc21UL, 0xbfd19921f4329916UL, 0xbfd5e0f09bef8011UL,
        0xbfd893b59c35c882UL, 0xbfd6ba7cb7576538UL, 0xbfce7291743d7555UL, 0xbfbb6d85a01efb80UL,
        0xbf9addae58c7141aUL, 0xbf6dc59376c7aa19UL, 0xbf27cc5e74677410UL, 0xbecbe6c0e8b4cc87UL,
        0xbe41b486526b0565UL, 0xbd8853f01bef63a4UL, 0xbc73955be519be31UL, 0x0000000000000000UL,
        // row 4: C3
        0xbfd5555555555555UL, 0xbfd183afc292ba11UL, 0xbfcc1a4b039c9bfaUL, 0xbfc16e1e6d8d0be6UL,
        0xbf92426c751e48a2UL, 0x3fb4f152b2bad124UL, 0x3fbbba40cbef72beUL, 0x3fb01ba038be6a3dUL,
        0x3f916df44871efc8UL, 0x3f63c6869dfc8870UL, 0x3f1fb9aef915d828UL, 0x3ec299d1e27c6e11UL,
        0x3e379b5ddcca334cUL, 0x3d8037f57bc62c9aUL, 0x3c6a2d4b50a2cff7UL, 0x0000000000000000UL,
        // row 5: C4
        0xbce6863ee44ed636UL, 0x3fc04dcd0476c75eUL, 0x3fc43d3449a80f08UL, 0x3fc5c26f3699b7e7UL,
        0x3fc1a686f6ab2533UL, 0x3faf203c316ce730UL, 0xbf89c7a02788557cUL, 0xbf98157e26e0d541UL,
        0xbf807b55c1c7d278UL, 0xbf53a18d5843190fUL, 0xbf0fb6bbc89b1a5bUL, 0xbeb299c9c684a963UL,
        0xbe279b5dd4fb3d01UL, 0xbd7037f57ae72aa6UL, 0xbc5a2ca2bba78e86UL, 0x0000000000000000UL,
        // row 6: C5
        0x3fc1111111112ab5UL, 0x3fb5c19efdfc08adUL, 0x3fa74c98dc34fbacUL, 0xbf790d6a8eff0a77UL,
        0xbfac3c021789a786UL, 0xbfae2196b7326859UL, 0xbf93a7a011ff8c2aUL, 0x3f6e4709c7e8430eUL,
        0x3f67682afa611151UL, 0x3f3ef2ee77717cbfUL, 0x3ef95a4482f180b7UL, 0x3e9dc2c27da3b603UL,
        0x3e12e2afd9f7433eUL, 0x3d59f320348679baUL, 0x3c44b61d9bbcc940UL, 0x0000000000000000UL,
        // row 7: C6
        0xbda1ea19ddddb3b4UL, 0xbfb0b8df995ce4dfUL, 0xbfb2955cf41e8164UL, 0xbfaf9d05c309f7c6UL,
        0xbf987d27ccff4291UL, 0x3f8b2ca62572b098UL, 0x3f8f1cf6c7f5b00aUL, 0x3f60379811e43dd5UL,
        0xbf4793826f78537eUL, 0xbf2405695e36240fUL, 0xbee0e08de39ce756UL, 0xbe83d709ba5f714eUL,
        0xbdf92e3fc5ee63e0UL, 0xbd414cc030f2110eUL, 0xbc2ba022e8d82a87UL, 0x0000000000000000UL,
        // row 8: C7
        0xbfaba1ba1990520bUL, 0xbf96e37bba52f6fcUL, 0x3ecff7df18455399UL, 0x3f97362834d33a4eUL,
        0x3f9e7f8380184b45UL, 0x3f869543e7c420d4UL, 0xbf7326bd4914222aUL, 0xbf5fc15b0a9d98faUL,
        0x3f14cffcfa69fbb6UL, 0x3f057e48e5b79d10UL, 0x3ec33b66d7d77264UL, 0x3e66ac4e578b9b10UL,
        0x3ddcc74b8d3d5c42UL, 0x3d23c589137f92b4UL, 0x3c107f8e2c8707a1UL, 0x0000000000000000UL,
        // row 9: C8
        0xbe351ca7f096011fUL, 0x3f9eaaf3320c3851UL, 0x3f9cf823fe761fc1UL, 0x3f9022271754ff1fUL,
        0xbf731fe77c9c60afUL, 0xbf84a6046865ec7dUL, 0xbf4ca3f1f2b9192bUL, 0x3f4c77dee0afd227UL,
        0x3f04055bce68597aUL, 0xbee2bf0cb4a71647UL, 0xbea31eaafe73efd5UL, 0xbe46abb02c4368edUL,
        0xbdbcc749ca8079ddUL, 0xbd03c5883836b9d2UL, 0xbbf07a5416264aecUL, 0x0000000000000000UL,
        // row 10: C9
        0x3f9664f94e6ac14eUL, 0xbf94d3343bae39ddUL, 0xbf7bc748e60df843UL, 0xbf8c89372b43ba85UL,
        0xbf8129a092de747aUL, 0x3f60c85b4d538746UL, 0x3f5be9392199ec18UL, 0xbf2a0c68a4489f10UL,
        0xbf00462601dc2faaUL, 0x3eb7b6a219dea9f4UL, 0x3e80cbcc8d4c5c8aUL, 0x3e2425bb231a5e29UL,
        0x3d9992a4beac8662UL, 0x3ce191ba5ed3fb67UL, 0x3bc892450bad44c4UL, 0x0000000000000000UL,
        // row 11: C10
        0xbea8c4c1fd7852feUL, 0xbfccce16b1046f13UL, 0xbf81a16f224bb7b6UL, 0xbf62cbf00406bc09UL,
        0x3f75b29bb02cf69bUL, 0x3f607df0f9f90c17UL, 0xbf4b852a6e0758d5UL, 0xbf0078c63d1b8445UL,
        0x3eec12eadd55be7aUL, 0xbe6fa600f593181bUL, 0xbe5a3c935dce3f7dUL, 0xbe001c6d95e3ae96UL,
        0xbd74755a00ea1fd3UL, 0xbcbc1c6c063bb7acUL, 0xbba3be9a4460fe00UL, 0x0000000000000000UL,
        // row 12: C11
        0xbf822404577aa9ddUL, 0x403d8b07f7a82aa3UL, 0xbf9f44ab92fbab0aUL, 0x3fb2eac604473d6aUL,
        0x3f45f87d903aaac8UL, 0xbf5e104671036300UL, 0x3f19bc98ddf0f340UL, 0x3f0d4304bc9246e8UL,
        0xbed13c415f7b9d41UL, 0xbe722b8d9720cdb0UL, 0x3e322666d739bec0UL, 0x3dd76a553d7e7918UL,
        0x3d4de0fa59416a39UL, 0x3c948716cf3681b4UL, 0x3b873f9f2d2fda99UL, 0x0000000000000000UL,
        // row 13: C12
        0xbefdd99a221ed573UL, 0x4070593a3735bab4UL, 0xbfccab654e44835eUL, 0x3fd13ed80037dbacUL,
        0xbf6045b9076cc487UL, 0x3f2085ee7e8ac170UL, 0x3f23524622610430UL, 0xbeff12a6626911b4UL,
        0x3eab9008bca408afUL, 0x3e634df71865f620UL, 0xbe05bb1bcf83ca73UL, 0xbdaf2ac143fb6762UL,
        0xbd23eae52a3dbf57UL, 0xbc6b5e3e9ca0955eUL, 0xbb5eca68e2c1ba2eUL, 0x0000000000000000UL,
        // row 14: C13
        0x3f6e3be689423841UL, 0xc0d263511f5baac1UL, 0x40169f73b15ebe5cUL, 0xc025c1dd41cd6cb5UL,
        0xbf58fd89fe05e0d1UL, 0x3f73f7af01d5af7aUL, 0xbf1e40bdead17e6bUL, 0x3ee224cd6c4513e5UL,
        0xbe24b645e68eeaa3UL, 0xbe4abfebfb72bc83UL, 0x3dd51c38f8695ed3UL, 0x3d8313ac38c6832bUL,
        0x3cf7787935626685UL, 0x3c401ffc49c6bc29UL, 0xbabf0b21acfa52abUL, 0x0000000000000000UL,
        // row 15: C14
        0xbf2a1306713a4f3aUL, 0xc1045e509116b066UL, 0x4041fab9250984ceUL, 0xc0458d090ec3de95UL,
        0xbf74949d60113d63UL, 0x3f7c9fd6200d0adeUL, 0x3f02cd40e0ad0a9fUL, 0xbe858ab8e019f311UL,
        0xbe792fa6323b7cf8UL, 0x3e2df04d67876402UL, 0xbd95c72be95e4d2cUL, 0xbd55a89c30203106UL,
        0xbccad6b3bb9eff65UL, 0xbc12705ccd3dd884UL, 0xba8e0a4c47ae75f5UL, 0x0000000000000000UL,
        // row 16: C15
        0xbf55d7e76dc56871UL, 0x41528c38809c90c7UL, 0xc076d57fb5190b02UL, 0x4085f09f888f8adaUL,
        0x3fa246332a2fcba5UL, 0xbfb29d851a896fcdUL, 0x3ed9065ae369b212UL, 0xbeb8e1ba4c98a030UL,
        0x3e6ffd0766ad4016UL, 0xbe0c63c29f505f5bUL, 0xbd7fab216b9e0e49UL, 0x3d2826b62056aa27UL,
        0x3ca313e31762f523UL, 0x3bea37aa21895319UL, 0x3ae5c7f1fd871496UL, 0x0000000000000000UL,
        // row 17: C16
        0x3f35e67ab76a26e7UL, 0x41848ee0627d8206UL, 0xc0a216d618b489ecUL, 0x40a5b89107c8af4fUL,
        0x3fb69d8374520edaUL, 0xbfbded519f981716UL, 0xbef02d288b5b3371UL, 0x3eb290981209c1a6UL,
        0xbe567e924bf5ff6eUL, 0x3de3f7f7de6b0eb6UL, 0x3d69ed18bae3ebbcUL, 0xbcf7534c4f3dfa71UL,
        0xbc730b73f1eaff20UL, 0xbbba2cff8135d462UL, 0xbab5a71b5f7d9035UL, 0x0000000000000000UL,
    ];

    private const int Rows = 18;

    private static readonly double DefaultNaN = BitConverter.Int64BitsToDouble(0x7ff8000000000000L);
    private const int Intervals = 16;

    // The same table, interval-major (one interval's 18 numbers side by side), for the scalar loop and the SIMD
    // kernels (NumPy/Simd/SimdTanh.cs), which read it from here.
    internal static readonly double[] ByInterval = BuildByInterval();

    private static double[] BuildByInterval()
    {
        var table = new double[Intervals * Rows];
        for (int row = 0; row < Rows; row++)
        {
            for (int idx = 0; idx < Intervals; idx++)
            {
                table[idx * Rows + row] = BitConverter.UInt64BitsToDouble(Lut16x18[row * Intervals + idx]);
            }
        }
        return table;
    }

    /// <summary>NumPy's float64 tanh of one value.</summary>
    public static unsafe double Tanh(double x)
    {
        fixed (double* table = ByInterval)
        {
            return Kernel(x, table);
        }
    }

    /// <summary>Element-wise <c>np.tanh</c>; <paramref name="destination"/> may be the source (in place).</summary>
    public static unsafe void Tanh(ReadOnlySpan<double> source, Span<double> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }
        fixed (double* table = ByInterval)
        fixed (double* src = source)
        fixed (double* dst = destination)
        {
            for (int i = 0; i < source.Length; i++)
            {
                dst[i] = Kernel(src[i], table);
            }
        }
    }

    // One lane of simd_tanh_f64. Pointers rather than spans: this runs 27 million times per epoch, and an
    // unoptimised (Debug) build would otherwise call a span indexer for every coefficient.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe double Kernel(double x, double* table)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        long denorm = bits & 0x7ff8000000000000L;
        if (denorm > 0x7fe0000000000000L)
        {
            // NumPy's "callout" lanes: |x| >= 1.5*2^1023, ±inf and NaN go to the scalar npy_tanh: ±1, and for
            // every NaN the default quiet NaN 0x7ff8000000000000 (measured: sign and payload are not kept).
            return double.IsNaN(x) ? DefaultNaN : Math.CopySign(1.0, x);
        }
        // The kernel clamps (hi32(denorm) - 0x3fc00000) to [0, 0x780000] and shifts by 19:
        // interval 0 is |x| < 0.125 (0x3fc0...), interval 15 is |x| >= 24 (0x4038...).
        int hi = (int)(denorm >> 32) - 0x3fc00000;
        hi = Math.Min(Math.Max(hi, 0), 0x780000);
        double* c = table + (hi >> 19) * Rows; // B, C0, ..., C16

        // As written in NumPy: y = |x| - b; r = muladd(c16, y, c15); r = muladd(r, y, c14); ... c0.
        double y = Math.Abs(x) - c[0];
        double r = Math.FusedMultiplyAdd(c[17], y, c[16]);
        r = Math.FusedMultiplyAdd(r, y, c[15]);
        r = Math.FusedMultiplyAdd(r, y, c[14]);
        r = Math.FusedMultiplyAdd(r, y, c[13]);
        r = Math.FusedMultiplyAdd(r, y, c[12]);
        r = Math.FusedMultiplyAdd(r, y, c[11]);
        r = Math.FusedMultiplyAdd(r, y, c[10]);
        r = Math.FusedMultiplyAdd(r, y, c[9]);
        r = Math.FusedMultiplyAdd(r, y, c[8]);
        r = Math.FusedMultiplyAdd(r, y, c[7]);
        r = Math.FusedMultiplyAdd(r, y, c[6]);
        r = Math.FusedMultiplyAdd(r, y, c[5]);
        r = Math.FusedMultiplyAdd(r, y, c[4]);
        r = Math.FusedMultiplyAdd(r, y, c[3]);
        r = Math.FusedMultiplyAdd(r, y, c[2]);
        r = Math.FusedMultiplyAdd(r, y, c[1]);
        long sign = bits & unchecked((long)0x8000000000000000UL);
        return BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(r) | sign);
    }
}
