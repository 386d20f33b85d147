namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// One tensor of a <see cref="ReferenceNetwork"/> pass: its float64 values and, per element, the variance of the error a
/// float32 computation of the same value makes by rounding, in units of u² (u the unit roundoff, 2⁻²⁴ for float32): a
/// correct float32 implementation lands about <c>u·√Variance</c> from <see cref="Value"/>. The variance is carried
/// from layer to layer (<see cref="RoundedSum"/>), so it holds the rounding of every operation upstream, not only the
/// last one's.
/// </summary>
public sealed class Carried
{
    public Carried(double[] value, double[] variance)
    {
        if (value.Length != variance.Length) throw new ArgumentException("value and variance differ in length");
        Value = value;
        Variance = variance;
    }

    /// <summary>A tensor of <paramref name="length"/> zeros with no rounding.</summary>
    public static Carried Zeros(int length) => new(new double[length], new double[length]);

    /// <summary>Exact values (no rounding behind them): the images, the parameters.</summary>
    public static Carried Exact(double[] value) => new(value, new double[value.Length]);

    public double[] Value { get; }

    /// <summary>Per element, the rounding error's variance in units of u².</summary>
    public double[] Variance { get; }

    public int Length => Value.Length;

    /// <summary>The standard deviation of element <paramref name="i"/>'s rounding at unit roundoff <paramref name="u"/>.</summary>
    public double Sigma(int i, double u) => u * Math.Sqrt(Variance[i]);
}
