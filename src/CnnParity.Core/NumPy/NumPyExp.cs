namespace CnnParity.Core.NumPy;

/// <summary>Which float64 <c>np.exp</c> the NumPy being mirrored runs.</summary>
public enum NumPyExpKernel
{
    /// <summary>
    /// NumPy 1.24 built with SVML, on a CPU with AVX512_SKX (the machine that made this project's goldens):
    /// Intel's <c>__svml_exp8</c>. It differs from glibc's exp on about 23% of inputs, by 1-2 ULP.
    /// </summary>
    Svml,

    /// <summary>NumPy 1.24 on a CPU without AVX512_SKX: scalar <c>npy_exp</c>, i.e. glibc <c>exp</c> (= <see cref="Math.Exp"/>).</summary>
    Libm,
}

/// <summary>
/// <c>np.exp</c> for float64 as NumPy 1.24 computes it on an AVX512_SKX CPU: Intel SVML's <c>__svml_exp8</c>
/// (<c>numpy/core/src/umath/svml/linux/avx512/svml_z0_exp_d_la.s</c>, dispatched from
/// <c>loops_umath_fp.dispatch.c.src</c>), ported lane by lane (the 8 lanes are independent) together with its
/// scalar fallback <c>__svml_dexp_cout_rare_internal</c> for |x| &gt;= 707.7 and infinities. Verified against
/// <c>np.exp</c> and against <c>__svml_exp8</c> called directly. On a CPU without AVX512_SKX the same NumPy
/// calls glibc instead (<see cref="NumPyExpKernel.Libm"/>).
/// <para>
/// Main path: N = x·log2(e) rounded toward zero to 1/16 (an FMA in round-to-zero mode with a shifter),
/// r = x - N·ln2 (two FMAs), exp(r) - 1 by a degree-6 polynomial, times 2^(j/16) from a 16-entry table,
/// scaled by 2^floor(N) with <c>vscalefpd</c>.
/// </para>
/// </summary>
public static class NumPyExp
{
    // __svml_dexp_data_internal_avx512 (every entry is broadcast to 8 lanes there; byte offsets in brackets).
    private static readonly double[] PowTwoSixteenths = Bits(
    [   // [0], [64]: 2^(j/16), j = 0..15
        0x3FF0000000000000UL, 0x3FF0B5586CF9890FUL, 0x3FF172B83C7D517BUL, 0x3FF2387A6E756238UL,
        0x3FF306FE0A31B715UL, 0x3FF3DEA64C123422UL, 0x3FF4BFDAD5362A27UL, 0x3FF5AB07DD485429UL,
        0x3FF6A09E667F3BCDUL, 0x3FF7A11473EB0187UL, 0x3FF8ACE5422AA0DBUL, 0x3FF9C49182A3F090UL,
        0x3FFAE89F995AD3ADUL, 0x3FFC199BDD85529CUL, 0x3FFD5818DCFBA487UL, 0x3FFEA4AFA2A490DAUL,
    ]);
    private static readonly double Log2E = Bit(0x3FF71547652B82FEUL);       // [256] log2(e)
    private static readonly double Shifter = Bit(0x42F8000000003FF0UL);     // [320] 1.5*2^48 + 1023
    private static readonly double Ln2Hi = Bit(0x3FE62E42FEFA39EFUL);       // [384]
    private static readonly double Ln2Lo = Bit(0x3C7ABC9E3B39803FUL);       // [448]
    private const long KeepBelowTwo = unchecked((long)0xBFFFFFFFFFFFFFFFUL); // [512] "ensure |R| < 2"
    private static readonly double C6 = Bit(0x3F572EB5EF0D213DUL);          // [576]
    private static readonly double C5 = Bit(0x3F81106603D97C00UL);          // [640]
    private static readonly double C4 = Bit(0x3FA555564BB4F5F0UL);          // [704]
    private static readonly double C3 = Bit(0x3FC5555554B508A2UL);          // [768]
    private static readonly double C2 = Bit(0x3FE0000000002622UL);          // [832]
    private static readonly double RareThreshold = Bit(0x40861DA04CBAFE44UL); // [1024] 707.70...

    // _imldExpHATab: 2^(j/64) as (high, low) pairs, then the scalar fallback's constants.
    private static readonly double[] PowTwoSixtyFourths = Bits(
    [
        0x3FF0000000000000UL, 0x0000000000000000UL, 0x3FF02C9A3E778061UL, 0xBC7160139CD8DC5DUL,
        0x3FF059B0D3158574UL, 0x3C8CD2523567F613UL, 0x3FF0874518759BC8UL, 0x3C60F74E61E6C861UL,
        0x3FF0B5586CF9890FUL, 0x3C979AA65D837B6DUL, 0x3FF0E3EC32D3D1A2UL, 0x3C3EBE3D702F9CD1UL,
        0x3FF11301D0125B51UL, 0xBC9556522A2FBD0EUL, 0x3FF1429AAEA92DE0UL, 0xBC91C923B9D5F416UL,
        0x3FF172B83C7D517BUL, 0xBC801B15EAA59348UL, 0x3FF1A35BEB6FCB75UL, 0x3C8B898C3F1353BFUL,
        0x3FF1D4873168B9AAUL, 0x3C9AECF73E3A2F60UL, 0x3FF2063B88628CD6UL, 0x3C8A6F4144A6C38DUL,
        0x3FF2387A6E756238UL, 0x3C968EFDE3A8A894UL, 0x3FF26B4565E27CDDUL, 0x3C80472B981FE7F2UL,
        0x3FF29E9DF51FDEE1UL, 0x3C82F7E16D09AB31UL, 0x3FF2D285A6E4030BUL, 0x3C8B3782720C0AB4UL,
        0x3FF306FE0A31B715UL, 0x3C834D754DB0ABB6UL, 0x3FF33C08B26416FFUL, 0x3C8FDD395DD3F84AUL,
        0x3FF371A7373AA9CBUL, 0xBC924AEDCC4B5068UL, 0x3FF3A7DB34E59FF7UL, 0xBC71D1E83E9436D2UL,
        0x3FF3DEA64C123422UL, 0x3C859F48A72A4C6DUL, 0x3FF4160A21F72E2AUL, 0xBC58A78F4817895BUL,
        0x3FF44E086061892DUL, 0x3C4363ED60C2AC11UL, 0x3FF486A2B5C13CD0UL, 0x3C6ECCE1DAA10379UL,
        0x3FF4BFDAD5362A27UL, 0x3C7690CEBB7AAFB0UL, 0x3FF4F9B2769D2CA7UL, 0xBC8F94340071A38EUL,
        0x3FF5342B569D4F82UL, 0xBC78DEC6BD0F385FUL, 0x3FF56F4736B527DAUL, 0x3C93350518FDD78EUL,
        0x3FF5AB07DD485429UL, 0x3C9063E1E21C5409UL, 0x3FF5E76F15AD2148UL, 0x3C9432E62B64C035UL,
        0x3FF6247EB03A5585UL, 0xBC8C33C53BEF4DA8UL, 0x3FF6623882552225UL, 0xBC93CEDD78565858UL,
        0x3FF6A09E667F3BCDUL, 0xBC93B3EFBF5E2228UL, 0x3FF6DFB23C651A2FUL, 0xBC6367EFB86DA9EEUL,
        0x3FF71F75E8EC5F74UL, 0xBC781F647E5A3ECFUL, 0x3FF75FEB564267C9UL, 0xBC8619321E55E68AUL,
        0x3FF7A11473EB0187UL, 0xBC7B32DCB94DA51DUL, 0x3FF7E2F336CF4E62UL, 0x3C65EBE1ABD66C55UL,
        0x3FF82589994CCE13UL, 0xBC9369B6F13B3734UL, 0x3FF868D99B4492EDUL, 0xBC94D450D872576EUL,
        0x3FF8ACE5422AA0DBUL, 0x3C8DB72FC1F0EAB4UL, 0x3FF8F1AE99157736UL, 0x3C7BF68359F35F44UL,
        0x3FF93737B0CDC5E5UL, 0xBC5DA9B88B6C1E29UL, 0x3FF97D829FDE4E50UL, 0xBC92434322F4F9AAUL,
        0x3FF9C49182A3F090UL, 0x3C71AFFC2B91CE27UL, 0x3FFA0C667B5DE565UL, 0xBC87C50422622263UL,
        0x3FFA5503B23E255DUL, 0xBC91BBD1D3BCBB15UL, 0x3FFA9E6B5579FDBFUL, 0x3C8469846E735AB3UL,
        0x3FFAE89F995AD3ADUL, 0x3C8C1A7792CB3387UL, 0x3FFB33A2B84F15FBUL, 0xBC55C3D956DCAEBAUL,
        0x3FFB7F76F2FB5E47UL, 0xBC68D6F438AD9334UL, 0x3FFBCC1E904BC1D2UL, 0x3C74FFD70A5FDDCDUL,
        0x3FFC199BDD85529CUL, 0x3C736EAE30AF0CB3UL, 0x3FFC67F12E57D14BUL, 0x3C84E08FD10959ACUL,
        0x3FFCB720DCEF9069UL, 0x3C676B2C6C921968UL, 0x3FFD072D4A07897CUL, 0xBC8FAD5D3FFFFA6FUL,
        0x3FFD5818DCFBA487UL, 0x3C74A385A63D07A7UL, 0x3FFDA9E603DB3285UL, 0x3C8E5A50D5C192ACUL,
        0x3FFDFC97337B9B5FUL, 0xBC82D52107B43E1FUL, 0x3FFE502EE78B3FF6UL, 0x3C74B604603A88D3UL,
        0x3FFEA4AFA2A490DAUL, 0xBC8FF7128FD391F0UL, 0x3FFEFA1BEE615A27UL, 0x3C8EC3BC41AA2008UL,
        0x3FFF50765B6E4540UL, 0x3C8A64A931D185EEUL, 0x3FFFA7C1819E90D8UL, 0x3C77893B4D91CD9DUL,
    ]);
    private static readonly double RareInvLn2By64 = Bit(0x40571547652B82FEUL);   // [1024] 64/ln2
    private static readonly double RareShifter = Bit(0x4338000000000000UL);      // [1032] 1.5*2^52
    private static readonly double RareA1 = Bit(0x3FE0000000000000UL);           // [1040]
    private static readonly double RareA2 = Bit(0x3FC55555555548F8UL);           // [1048]
    private static readonly double RareA3 = Bit(0x3FA5555555558FCCUL);           // [1056]
    private static readonly double RareA4 = Bit(0x3F8111123AAF20D3UL);           // [1064]
    private static readonly double RareA5 = Bit(0x3F56C16A1C2A3FFDUL);           // [1072]
    private static readonly double RareOverflow = Bit(0x40862E42FEFA39EFUL);     // [1080] 709.78...
    private static readonly double RareSubnormal = Bit(0xC086232BDD7ABCD2UL);    // [1088] -708.39...
    private static readonly double RareUnderflow = Bit(0xC0874910D52D3051UL);    // [1096] -745.13...
    private static readonly double RareLn2By64Hi = Bit(0x3F862E42FEFA0000UL);    // [1104]
    private static readonly double RareLn2By64Lo = Bit(0x3D1CF79ABC9E3B3AUL);    // [1112]
    private static readonly double RareTiny = Bit(0x0010000000000001UL);         // [1120]
    private static readonly double RareHuge = Bit(0x7FEFFFFFFFFFFFFFUL);         // [1128]
    private static readonly double RareTwoToMinus60 = Bit(0x3C30000000000000UL); // [1160]
    private static readonly double RareSplitter = Bit(0x41F8000000000000UL);     // [1168] 1.5*2^32

    private static double Bit(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    private static double[] Bits(ulong[] bits) => Array.ConvertAll(bits, BitConverter.UInt64BitsToDouble);

    /// <summary>NumPy's float64 exp of one value (the SVML kernel).</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x + x; // the NaN flows through the lane and comes out quieted, sign and payload kept
        }
        if (Math.Abs(x) >= RareThreshold)
        {
            return Rare(x);
        }
        double shifted = FmaTowardZero(x, Log2E, Shifter);
        double n = shifted - Shifter;
        double th = PowTwoSixteenths[(int)(BitConverter.DoubleToInt64Bits(shifted) & 15)];
        double big = Math.FusedMultiplyAdd(-n, Ln2Hi, x);
        big = Math.FusedMultiplyAdd(-Ln2Lo, n, big);
        double r = BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(big) & KeepBelowTwo);
        double r2 = r * r;
        double p56 = Math.FusedMultiplyAdd(C6, r, C5);
        double p34 = Math.FusedMultiplyAdd(C4, r, C3);
        double r3 = r2 * r;
        double p12 = Math.FusedMultiplyAdd(r2, C2, r);
        double p36 = Math.FusedMultiplyAdd(r2, p56, p34);
        double p16 = Math.FusedMultiplyAdd(r3, p36, p12); // exp(r) - 1
        double res = Math.FusedMultiplyAdd(th, p16, th);
        return Math.ScaleB(res, (int)Math.Floor(n)); // vscalefpd: res * 2^floor(n), one rounding
    }

    /// <summary>Element-wise <c>np.exp</c> with the chosen kernel; <paramref name="destination"/> may be the source.</summary>
    public static void Exp(ReadOnlySpan<double> source, Span<double> destination, NumPyExpKernel kernel = NumPyExpKernel.Svml)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = kernel == NumPyExpKernel.Svml ? Exp(source[i]) : Math.Exp(source[i]);
        }
    }

    /// <summary>
    /// fma(a, b, c) rounded toward zero (<c>vfmadd213pd {rz-sae}</c>), for a positive result near c: the
    /// round-to-nearest result is stepped down when the exact value lies below it. c - rn is exact here
    /// (the two are within a factor of 2), and the sign of the residual fma survives its rounding.
    /// </summary>
    private static double FmaTowardZero(double a, double b, double c)
    {
        double rn = Math.FusedMultiplyAdd(a, b, c);
        double residual = Math.FusedMultiplyAdd(a, b, c - rn);
        return residual < 0 ? Math.BitDecrement(rn) : rn;
    }

    /// <summary><c>__svml_dexp_cout_rare_internal</c>: the scalar path for |x| &gt;= 707.7, infinities and NaNs.</summary>
    private static double Rare(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0x7FF)
        {
            return bits < 0 && (bits & 0xFFFFFFFFFFFFFL) == 0 ? 0.0 : x * x; // exp(-inf) = 0; +inf, NaN
        }
        if (exponent <= 970)
        {
            return 1.0 + x;
        }
        if (x > RareOverflow)
        {
            return RareHuge * RareHuge; // +inf
        }
        if (x < RareUnderflow)
        {
            return RareTiny * RareTiny; // 0
        }
        double s = RareInvLn2By64 * x + RareShifter;
        int k = (int)BitConverter.DoubleToInt64Bits(s); // the low word: round(x * 64/ln2)
        int j = k & 63;
        double kd = s - RareShifter;
        double r = x - kd * RareLn2By64Hi;
        r -= kd * RareLn2By64Lo;
        uint m = (uint)k >> 6; // a logical shift in the original; the exponent arithmetic is mod 2048
        double th = PowTwoSixtyFourths[2 * j];
        double p = RareA5 * r;
        p += RareA4;
        p *= r;
        p += RareA3;
        p *= r;
        p += RareA2;
        p *= r;
        p += RareA1;
        p *= r;
        p *= r;
        p += r;
        p += PowTwoSixtyFourths[2 * j + 1];
        p *= th;
        if (x < RareSubnormal)
        {
            // The result is subnormal: scale by 2^(m+60), add, then scale by 2^-60 in one or two roundings.
            int e60 = (int)((m + 1083u) & 2047u);
            double scale60 = PowerOfTwo(e60);
            double low = p * scale60;
            double high = scale60 * th;
            double sum = high + low;
            if ((uint)e60 <= 50)
            {
                return sum * RareTwoToMinus60;
            }
            double tail = (high - sum) + low;
            double split = sum * RareSplitter;
            double head = (sum + split) - split;
            tail += sum - head;
            return head * RareTwoToMinus60 + tail * RareTwoToMinus60;
        }
        int e = (int)((m + 1023u) & 2047u);
        p += th;
        if (e > 2046)
        {
            return p * PowerOfTwo((e - 1) & 2047) * 2.0;
        }
        return p * PowerOfTwo(e);
    }

    private static double PowerOfTwo(int biasedExponent) => BitConverter.Int64BitsToDouble((long)biasedExponent << 52);
}
