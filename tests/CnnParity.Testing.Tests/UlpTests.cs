using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

public class UlpTests
{
    [Fact]
    public void NeighboursAreOneApartInEachFormat()
    {
        Assert.Equal(1, Ulp.Distance(1.0, Math.BitIncrement(1.0)));
        Assert.Equal(1, Ulp.Distance(1f, MathF.BitIncrement(1f)));
        Assert.Equal(1, Ulp.Distance(1.0, (double)BitConverter.Int16BitsToHalf((short)(BitConverter.HalfToInt16Bits((Half)1) + 1)), ScalarType.Float16));
        Assert.Equal(1, Ulp.Distance(1.0, 1.0 + 1.0 / 128, ScalarType.BFloat16)); // bfloat16 keeps 7 fraction bits
        Assert.Equal(8388608, Ulp.Distance(1.0, 2.0, ScalarType.Float32));
    }

    [Fact]
    public void ZerosAreEqualAndSignsAreCrossed()
    {
        Assert.Equal(0, Ulp.Distance(0.0, -0.0));
        Assert.Equal(2, Ulp.Distance(double.Epsilon, -double.Epsilon));
        Assert.Equal(2, Ulp.Distance(float.Epsilon, -float.Epsilon));
        Assert.Equal(long.MaxValue, Ulp.Distance(double.MaxValue, -double.MaxValue)); // saturates rather than wraps
    }
}
