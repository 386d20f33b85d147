namespace CnnParity.Testing.Tests;

public class FiniteDifferencesTests
{
    [Fact]
    public void CentralDifferencesMatchTheAnalyticGradientAndRestoreEveryValue()
    {
        double[] p = [0.3, -1.2, 2.0];
        double Loss() => Math.Sin(p[0]) * p[1] + p[2] * p[2] * p[2];
        var g = FiniteDifferences.Central(p, Loss, [0, 2, 1]);
        Assert.Equal([0.3, -1.2, 2.0], p);
        // Truncation h²·f'''/6 ≈ 1e-12 and rounding ε·|f|/h ≈ 1e-10 bound the error.
        Assert.Equal(Math.Cos(0.3) * -1.2, g[0], 1e-8);
        Assert.Equal(3 * 2.0 * 2.0, g[1], 1e-8);
        Assert.Equal(Math.Sin(0.3), g[2], 1e-8);
    }

    [Fact]
    public void AJacobianColumnHasOneDerivativePerOutput()
    {
        double x = 1.5;
        var column = FiniteDifferences.Central(v => x = v, x, () => [x * x, Math.Exp(x)]);
        Assert.Equal(1.5, x);
        Assert.Equal(3.0, column[0], 1e-8);
        Assert.Equal(Math.Exp(1.5), column[1], 1e-8);
    }

    [Fact]
    public void TheValueIsRestoredEvenWhenTheFunctionThrows()
    {
        double[] p = [1.0];
        Assert.Throws<InvalidOperationException>(() => FiniteDifferences.Central(p, () => throw new InvalidOperationException(), [0]));
        Assert.Equal(1.0, p[0]);
    }
}
