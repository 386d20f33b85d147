using CnnParity.Parity.Results;

namespace CnnParity.Parity;

/// <summary>
/// Measures how far an actual tensor is from an expected one — max abs, max rel, max ULP, and how many
/// elements are bitwise equal — over one array or, chunk by chunk, over a whole test set.
/// </summary>
public sealed class TensorDistances
{
    // Relative error divides by |expected|, floored so that exact zeros do not give infinities.
    const double RelativeFloor = 1e-300;

    readonly bool float32;
    readonly Tolerance? tolerance;
    double maxAbs, maxRel;
    long maxUlp, count, equal, violations;

    /// <param name="tolerance">if given, <see cref="Pass"/> says whether every element met it</param>
    /// <param name="float32">measure ULPs in float32 (a float32 result against float64 expectations)</param>
    public TensorDistances(Tolerance? tolerance = null, bool float32 = false)
    {
        this.tolerance = tolerance;
        this.float32 = float32;
    }

    public static TensorDistance Measure(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, bool float32 = false)
    {
        var meter = new TensorDistances(null, float32);
        meter.Add(actual, expected);
        return meter.Result;
    }

    public TensorDistance Result => new(maxAbs, maxRel, maxUlp, count, equal);

    /// <summary>Every element so far met the tolerance (and at least one was compared).</summary>
    public bool Pass => violations == 0 && count > 0;

    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException($"cannot compare tensors of {actual.Length} and {expected.Length} elements");
        count += actual.Length;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], e = expected[i];
            if (tolerance is not null && !tolerance.Accepts(a, e)) violations++;
            if (BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(e)) { equal++; continue; }
            if (!double.IsFinite(a) || !double.IsFinite(e))
            {
                maxAbs = maxRel = double.PositiveInfinity;
                maxUlp = long.MaxValue;
                continue;
            }
            double abs = Math.Abs(a - e);
            maxAbs = Math.Max(maxAbs, abs);
            maxRel = Math.Max(maxRel, abs / Math.Max(Math.Abs(e), RelativeFloor));
            maxUlp = Math.Max(maxUlp, float32 ? UlpDistance((float)a, (float)e) : UlpDistance(a, e));
        }
    }

    /// <summary>Whether every element satisfies the tolerance (NaN or infinity never does).</summary>
    public static bool Within(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tolerance)
    {
        if (actual.Length != expected.Length) return false;
        for (int i = 0; i < actual.Length; i++)
            if (!tolerance.Accepts(actual[i], expected[i]))
                return false;
        return true;
    }

    /// <summary>Number of representable doubles between a and b (0 for equal values, +0 and -0 too).</summary>
    public static long UlpDistance(double a, double b)
    {
        long x = Ordered(BitConverter.DoubleToInt64Bits(a)), y = Ordered(BitConverter.DoubleToInt64Bits(b));
        return x > y ? x - y : y - x;
        // Maps the sign-magnitude bit pattern onto a monotonic integer line.
        static long Ordered(long bits) => bits < 0 ? long.MinValue - bits : bits;
    }

    /// <summary>Number of representable floats between a and b.</summary>
    public static long UlpDistance(float a, float b)
    {
        long x = Ordered(BitConverter.SingleToInt32Bits(a)), y = Ordered(BitConverter.SingleToInt32Bits(b));
        return Math.Abs(x - y);
        static long Ordered(int bits) => bits < 0 ? (long)int.MinValue - bits : bits;
    }
}
