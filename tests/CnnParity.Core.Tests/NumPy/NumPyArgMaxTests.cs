using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.NumPy;

public class NumPyArgMaxTests
{
    [Fact]
    public void First_maximum_wins_and_nan_wins_over_all()
    {
        Assert.Equal(1, NumPyArgMax.ArgMax([0.1, 0.5, 0.5, 0.2]));
        Assert.Equal(2, NumPyArgMax.ArgMax([0.1, 0.5, double.NaN, 0.9, double.NaN]));
        Assert.Equal(0, NumPyArgMax.ArgMax([double.NaN, 1]));
        Assert.Equal(0, NumPyArgMax.ArgMax([0.0, -0.0]));
        Assert.Equal(3, NumPyArgMax.ArgMax([double.NegativeInfinity, -5, -2, -1]));
        Assert.Throws<ArgumentException>(() => NumPyArgMax.ArgMax([]));
    }
}
