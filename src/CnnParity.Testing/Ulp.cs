using TorchSharp;

namespace CnnParity.Testing;

/// <summary>
/// Distance in units in the last place: how many representable values of a floating-point format lie between
/// two numbers. 0 for equal values (+0 and −0 too); 1 for neighbours. It says what "max abs 3e-17" cannot: whether
/// two results differ by rounding (a few ULP) or by arithmetic (millions).
/// </summary>
public static class Ulp
{
    /// <summary>Representable doubles between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static long Distance(double a, double b) =>
        Apart(Ordered(BitConverter.DoubleToInt64Bits(a)), Ordered(BitConverter.DoubleToInt64Bits(b)));

    /// <summary>Representable floats between <paramref name="a"/> and <paramref name="b"/>.</summary>
    public static long Distance(float a, float b) =>
        Math.Abs(Ordered(BitConverter.SingleToInt32Bits(a)) - Ordered(BitConverter.SingleToInt32Bits(b)));

    /// <summary>
    /// The distance in the format of <paramref name="dtype"/>: both values are first rounded to it (exact when
    /// they came from it). float16 and bfloat16 are measured in their own 16-bit formats; any other dtype in float64.
    /// </summary>
    public static long Distance(double a, double b, torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float32 or torch.ScalarType.ComplexFloat32 => Distance((float)a, (float)b),
        torch.ScalarType.Float16 => Math.Abs(Ordered(BitConverter.HalfToInt16Bits((Half)a)) - Ordered(BitConverter.HalfToInt16Bits((Half)b))),
        // bfloat16 is the upper half of a float32; the conversion from a bfloat16 value is exact.
        torch.ScalarType.BFloat16 => Math.Abs(Ordered((short)(BitConverter.SingleToInt32Bits((float)a) >> 16)) -
                                              Ordered((short)(BitConverter.SingleToInt32Bits((float)b) >> 16))),
        _ => Distance(a, b),
    };

    // Sign-magnitude bit patterns mapped onto one monotonic integer line (−0 and +0 both to 0).
    static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;

    static long Ordered(int bits) => bits < 0 ? (long)int.MinValue - bits : bits;

    static long Ordered(short bits) => bits < 0 ? (long)short.MinValue - bits : bits;

    // |x − y| without overflow for doubles of opposite sign and huge magnitude.
    static long Apart(long x, long y)
    {
        ulong d = x > y ? (ulong)(x - y) : (ulong)(y - x);
        return d > long.MaxValue ? long.MaxValue : (long)d;
    }
}
