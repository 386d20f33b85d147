namespace CnnParity.Core.NumPy;

/// <summary>Which float64 <c>np.exp</c> the NumPy being mirrored runs.</summary>
public enum NumPyExpKernel
{
    /// <summary>
    /// NumPy 1.24 on a CPU with AVX512F (this project's reference machine): <c>AVX512F_exp_DOUBLE</c>,
    /// Tang's table-driven method. It differs from libm on about 23% of inputs, by 1-2 ULP.
    /// </summary>
    Avx512F,

    /// <summary>NumPy 1.24 on a CPU without AVX512F (AVX2 at most): scalar <c>npy_exp</c>, i.e. glibc <c>exp</c>.</summary>
    Libm,
}

/// <summary>
/// <c>np.exp</c> for float64. On x86-64 NumPy 1.24 dispatches contiguous arrays to
/// <c>AVX512F_exp_DOUBLE</c> (<c>numpy/core/src/umath/loops_exponent_log.dispatch.c.src</c>, constants in
/// <c>npy_simd_data.h</c>) when the CPU has AVX512F, and to libm <c>exp</c> otherwise. Both are here;
/// <see cref="Exp(double)"/> is the AVX512F kernel ported lane by lane (the lanes are independent).
/// </summary>
public static class NumPyExp
{
    // The C source writes these as hexadecimal float literals (C# has none): the bits are exact.
    private static readonly double InvLn2Mul32 = FromBits(0x40471547652b82fe); // 0x1.71547652b82fep+5
    private static readonly double RintCvtMagic = FromBits(0x4338000000000000); // 0x1.8p52
    private static readonly double TangNegL1 = FromBits(0xbf962e42fef00000); // -0x1.62e42fefp-6
    private static readonly double TangNegL2 = FromBits(0xbd8473de6af278ed); // -0x1.473de6af278edp-39
    private static readonly double TangA1 = FromBits(0x3fe0000000000000); // 0x1p-1
    private static readonly double TangA2 = FromBits(0x3fc5555555548f7c); // 0x1.5555555548f7cp-3
    private static readonly double TangA3 = FromBits(0x3fa5555555545d4e); // 0x1.5555555545d4ep-5
    private static readonly double TangA4 = FromBits(0x3f811115b7aa905e); // 0x1.11115b7aa905ep-7
    private static readonly double TangA5 = FromBits(0x3f56c1728d739765); // 0x1.6c1728d739765p-10
    private static readonly double ThresholdNearZero = FromBits(0x3c90000000000000); // 0x1p-54
    private static readonly double ThresholdMax = FromBits(0x40862e42fefa39ef); // 0x1.62e42fefa39efp+9
    private static readonly double ThresholdMin = FromBits(0xc0874910d52d3053); // -0x1.74910d52d3053p+9

    // 2^(j/32) split in a head and a tail (EXP_Table_top / EXP_Table_tail in npy_simd_data.h).
    private static readonly double[] TableTop = ToDoubles(
    [
        0x3FF0000000000000, 0x3FF059B0D3158540, 0x3FF0B5586CF98900, 0x3FF11301D0125B40,
        0x3FF172B83C7D5140, 0x3FF1D4873168B980, 0x3FF2387A6E756200, 0x3FF29E9DF51FDEC0,
        0x3FF306FE0A31B700, 0x3FF371A7373AA9C0, 0x3FF3DEA64C123400, 0x3FF44E0860618900,
        0x3FF4BFDAD5362A00, 0x3FF5342B569D4F80, 0x3FF5AB07DD485400, 0x3FF6247EB03A5580,
        0x3FF6A09E667F3BC0, 0x3FF71F75E8EC5F40, 0x3FF7A11473EB0180, 0x3FF82589994CCE00,
        0x3FF8ACE5422AA0C0, 0x3FF93737B0CDC5C0, 0x3FF9C49182A3F080, 0x3FFA5503B23E2540,
        0x3FFAE89F995AD380, 0x3FFB7F76F2FB5E40, 0x3FFC199BDD855280, 0x3FFCB720DCEF9040,
        0x3FFD5818DCFBA480, 0x3FFDFC97337B9B40, 0x3FFEA4AFA2A490C0, 0x3FFF50765B6E4540,
    ]);

    private static readonly double[] TableTail = ToDoubles(
    [
        0x0000000000000000, 0x3D0A1D73E2A475B4, 0x3CEEC5317256E308, 0x3CF0A4EBBF1AED93,
        0x3D0D6E6FBE462876, 0x3D053C02DC0144C8, 0x3D0C3360FD6D8E0B, 0x3D009612E8AFAD12,
        0x3CF52DE8D5A46306, 0x3CE54E28AA05E8A9, 0x3D011ADA0911F09F, 0x3D068189B7A04EF8,
        0x3D038EA1CBD7F621, 0x3CBDF0A83C49D86A, 0x3D04AC64980A8C8F, 0x3CD2C7C3E81BF4B7,
        0x3CE921165F626CDD, 0x3D09EE91B8797785, 0x3CDB5F54408FDB37, 0x3CF28ACF88AFAB35,
        0x3CFB5BA7C55A192D, 0x3D027A280E1F92A0, 0x3CF01C7C46B071F3, 0x3CFC8B424491CAF8,
        0x3D06AF439A68BB99, 0x3CDBAA9EC206AD4F, 0x3CFC2220CB12A092, 0x3D048A81E5E8F4A5,
        0x3CDC976816BAD9B8, 0x3CFEB968CAC39ED3, 0x3CF9858F73A18F5E, 0x3C99D3E12DD8A18B,
    ]);

    private static double FromBits(ulong bits) => BitConverter.UInt64BitsToDouble(bits);

    private static double[] ToDoubles(ulong[] bits) => Array.ConvertAll(bits, BitConverter.UInt64BitsToDouble);

    /// <summary>NumPy's AVX512F float64 exp of one value.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN; // NPY_NAN: the kernel returns the default quiet NaN, not the input's payload.
        }
        if (x > ThresholdMax)
        {
            return double.PositiveInfinity;
        }
        if (x < ThresholdMin)
        {
            return 0.0;
        }
        if (Math.Abs(x) < ThresholdNearZero)
        {
            return 1.0; // the kernel zeroes x in these lanes and returns x + 1
        }

        // Range reduction: x = (32m + j) ln2/32 + r, |r| <= ln2/64.
        double z = x * InvLn2Mul32;
        double kdShifted = z + RintCvtMagic;
        long ki = BitConverter.DoubleToInt64Bits(kdShifted);
        double kd = kdShifted - RintCvtMagic;

        double r1 = Math.FusedMultiplyAdd(kd, TangNegL1, x);
        double r2 = kd * TangNegL2;
        double r = r1 + r2;

        // exp(r) - 1 by a degree-5 polynomial.
        double q = Math.FusedMultiplyAdd(TangA5, r, TangA4);
        q = Math.FusedMultiplyAdd(q, r, TangA3);
        q = Math.FusedMultiplyAdd(q, r, TangA2);
        q = Math.FusedMultiplyAdd(q, r, TangA1);
        q *= r;
        double p = Math.FusedMultiplyAdd(r, q, r2);
        p = r1 + p;

        int j = (int)(ki & 0x1f);
        double top = TableTop[j];
        double tail = TableTail[j];

        // exp(x) = 2^m * (top + (tail + s*p)), s = top + tail; scalef(a, b) = a * 2^floor(b), one rounding.
        double s = top + tail;
        double res = Math.FusedMultiplyAdd(s, p, tail);
        res += top;
        return Math.ScaleB(res, (int)Math.Floor(kd / 32.0));
    }

    /// <summary>Element-wise <c>np.exp</c> with the chosen kernel; <paramref name="destination"/> may be the source.</summary>
    public static void Exp(ReadOnlySpan<double> source, Span<double> destination, NumPyExpKernel kernel = NumPyExpKernel.Avx512F)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("destination is shorter than source", nameof(destination));
        }
        if (kernel == NumPyExpKernel.Avx512F)
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = Exp(source[i]);
            }
        }
        else
        {
            for (int i = 0; i < source.Length; i++)
            {
                destination[i] = Math.Exp(source[i]);
            }
        }
    }
}
