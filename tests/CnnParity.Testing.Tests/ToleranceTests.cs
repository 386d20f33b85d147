using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

public class ToleranceTests
{
    [Fact]
    public void DefaultsPerDtypeAreAssertClosesOwn()
    {
        Assert.Equal((1e-7, 1e-7), (Tolerance.For(ScalarType.Float64).Rtol, Tolerance.For(ScalarType.Float64).Atol));
        Assert.Equal((1.3e-6, 1e-5), (Tolerance.For(ScalarType.Float32).Rtol, Tolerance.For(ScalarType.Float32).Atol));
        Assert.Equal((1e-3, 1e-5), (Tolerance.For(ScalarType.Float16).Rtol, Tolerance.For(ScalarType.Float16).Atol));
        Assert.Equal((1.6e-2, 1e-5), (Tolerance.For(ScalarType.BFloat16).Rtol, Tolerance.For(ScalarType.BFloat16).Atol));
        Assert.True(Tolerance.For(ScalarType.Int64).IsEquality);
    }

    [Fact]
    public void AcceptsAsTorchIscloseDoes()
    {
        var t = new Tolerance("t", 1e-3, 1e-6, "test");
        Assert.True(t.Accepts(1000.9, 1000));   // 0.9 ≤ 1e-6 + 1
        Assert.False(t.Accepts(1001.1, 1000));
        Assert.True(t.Accepts(double.PositiveInfinity, double.PositiveInfinity));
        Assert.False(t.Accepts(1e308, double.PositiveInfinity)); // inf ≤ inf must not pass
        Assert.False(t.Accepts(double.NegativeInfinity, double.PositiveInfinity));
        Assert.False(t.Accepts(double.NaN, double.NaN));
        Assert.True(t.Accepts(double.NaN, double.NaN, equalNan: true));
        Assert.False(t.Accepts(double.NaN, 1, equalNan: true));
    }
}
