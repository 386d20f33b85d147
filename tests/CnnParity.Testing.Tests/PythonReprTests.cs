namespace CnnParity.Testing.Tests;

public class PythonReprTests
{
    // Each right-hand side is what CPython's repr() prints for the value.
    [Theory]
    [InlineData(1e-05, "1e-05")]
    [InlineData(1.3e-06, "1.3e-06")]
    [InlineData(0.0001, "0.0001")]
    [InlineData(0.0009999275207519531, "0.0009999275207519531")]
    [InlineData(3.0, "3.0")]
    [InlineData(-0.0, "-0.0")]
    [InlineData(0.0, "0.0")]
    [InlineData(1e16, "1e+16")]
    [InlineData(1234567890123456.0, "1234567890123456.0")]
    [InlineData(1.2345678901234568e+18, "1.2345678901234568e+18")]
    [InlineData(0.1, "0.1")]
    [InlineData(123.456, "123.456")]
    [InlineData(-2.5e-300, "-2.5e-300")]
    [InlineData(double.PositiveInfinity, "inf")]
    [InlineData(double.NegativeInfinity, "-inf")]
    [InlineData(double.NaN, "nan")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(1.7976931348623157e308, "1.7976931348623157e+308")]
    public void FloatsReadAsPythonPrintsThem(double x, string repr) => Assert.Equal(repr, PythonRepr.Float(x));

    [Fact]
    public void TuplesAndUnravelledIndices()
    {
        Assert.Equal("()", PythonRepr.Tuple([]));
        Assert.Equal("(2,)", PythonRepr.Tuple([2]));
        Assert.Equal("(1, 2, 3)", PythonRepr.Tuple(PythonRepr.Unravel(1 * 12 + 2 * 4 + 3, [2, 3, 4])));
    }
}
