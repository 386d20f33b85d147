using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// NumPy's float32 tanh: the vector kernels against the scalar port, lane for lane, on every interval boundary, the
/// callout inputs and a million drawn values (the scalar port itself is held to this machine's np.tanh in
/// NumPy/Float32TanhGoldenTests).
/// </summary>
public unsafe class SimdTanhFloat32Tests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Vector_kernels_have_the_scalar_bits(bool use512)
    {
        var random = new NumPyRandomState(9);
        var x = new float[1_000_003];
        for (int i = 0; i < x.Length; i++)
        {
            x[i] = (float)((random.RandomSample() - 0.5) * (i % 3 == 0 ? 40 : 3));
        }
        float[] edges = [0f, -0f, float.Epsilon, 0.046875f, 0.0468749963f, 9f, 8.99999905f, 1e30f, float.MaxValue, -float.MaxValue,
            float.PositiveInfinity, float.NegativeInfinity, float.NaN, 3.0e38f, 2.6e38f, -1f, 1f];
        edges.CopyTo(x, 100);
        var simd = new float[x.Length];
        fixed (float* src = x, dst = simd)
        {
            SimdTanhFloat32.Tanh(src, dst, x.Length, use512);
        }
        for (int i = 0; i < x.Length; i++)
        {
            float scalar = NumPyTanhFloat32.Tanh(x[i]);
            Assert.True(BitConverter.SingleToInt32Bits(scalar) == BitConverter.SingleToInt32Bits(simd[i]),
                $"tanh({x[i]:R}) [{i}]: scalar {scalar:R}, {SimdTanhFloat32.Kernel} {simd[i]:R}");
        }
        Assert.Equal(1f, NumPyTanhFloat32.Tanh(float.PositiveInfinity));
        Assert.Equal(-1f, NumPyTanhFloat32.Tanh(-3.0e38f));
    }
}
