using CnnParity.Testing;

namespace CnnParity.Core.Tests.Engines;

/// <summary>Central differences against an analytic gradient, with the tolerance each check uses.</summary>
internal static class FiniteDifference
{
    /// <summary>
    /// How far an analytic derivative may be from the central difference, relative to max(1, |derivative|): a
    /// thousand times the expected error of the difference above, and far below any real mistake (a wrong index or
    /// factor moves a derivative by its own size).
    /// </summary>
    public const double Tolerance = 1e-6;

    /// <summary>
    /// The central difference of <paramref name="f"/> at element <paramref name="i"/> of <paramref name="values"/>
    /// (restored afterwards), by <see cref="FiniteDifferences"/>: its step 1e-6 balances the truncation error h²·f'''
    /// (≈ 1e-12 here) and the rounding error ε·|f|/h (≈ 1e-9 for objectives of size 10).
    /// </summary>
    public static double Derivative(double[] values, int i, Func<double> f) => FiniteDifferences.Central(values, f, [i])[0];

    /// <summary>Checks <paramref name="analytic"/> against central differences at up to <paramref name="samples"/> spread indices.</summary>
    public static void Check(string name, double[] values, double[] analytic, Func<double> f, int samples = 24)
    {
        Assert.Equal(values.Length, analytic.Length);
        int stride = Math.Max(1, values.Length / samples);
        int checkedCount = 0;
        for (int i = stride / 2; i < values.Length; i += stride)
        {
            double numeric = Derivative(values, i, f);
            double error = Math.Abs(numeric - analytic[i]) / Math.Max(1, Math.Abs(analytic[i]));
            Assert.True(error <= Tolerance, $"{name}[{i}]: analytic {analytic[i]:R}, central difference {numeric:R} (relative error {error:E2} > {Tolerance:E0})");
            checkedCount++;
        }
        Assert.True(checkedCount > 0, $"{name}: nothing checked");
    }
}
