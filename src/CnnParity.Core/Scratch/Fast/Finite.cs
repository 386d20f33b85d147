using System.Runtime.Intrinsics;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// The checks that allow the fast path to leave out terms that are ±0 times something: such a term adds nothing
/// only if the something is finite. They run once per pass over the weights or the deltas; when one fails, the
/// pass computes every term, as the faithful path does, and NaNs and infinities come out the same.
/// </summary>
internal static unsafe class Finite
{
    /// <summary>Bound on |weights_1_2| under which no <c>layer_1_delta</c> sum (10 terms, |delta| ≤ 1) can overflow.</summary>
    public const double WeightBound = 1e300;

    /// <summary>True when every value is a number with |x| ≤ <paramref name="bound"/> (false for NaN).</summary>
    public static bool AllWithin(double* values, int count, double bound)
    {
        Vector256<double> limit = Vector256.Create(bound);
        Vector256<double> ok = Vector256<double>.AllBitsSet;
        int i = 0;
        for (; i <= count - 4; i += 4)
        {
            ok &= Vector256.LessThanOrEqual(Vector256.Abs(Vector256.Load(values + i)), limit);
        }
        bool all = Vector256.EqualsAll(ok.AsInt64(), Vector256<long>.AllBitsSet);
        for (; i < count; i++)
        {
            all &= Math.Abs(values[i]) <= bound;
        }
        return all;
    }

    /// <summary>True when no value is NaN or infinite.</summary>
    public static bool All(double* values, int count) => AllWithin(values, count, double.MaxValue);
}
