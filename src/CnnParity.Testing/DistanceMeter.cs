using TorchSharp;

namespace CnnParity.Testing;

/// <summary>
/// Measures how far actual values are from expected ones — max abs, max rel, max ULP, how many are bitwise
/// equal and where the worst is — over one array or, chunk by chunk, over a whole data set that never sits in
/// memory at once. Given a <see cref="Tolerance"/>, it also counts the elements that break it.
/// </summary>
public sealed class DistanceMeter
{
    readonly Tolerance? tolerance;
    readonly torch.ScalarType ulpFormat;
    readonly bool equalNan;
    double maxAbs, maxRel;
    long maxUlp, count, equal, mismatched;
    ElementDifference? maxAbsAt, worstAbs, worstRel, worstUlp;

    /// <param name="tolerance">if given, <see cref="Pass"/> says whether every element met it and the result names the worst mismatches</param>
    /// <param name="ulpFormat">the format ULPs are counted in: the dtype of the actual values (Float32 for a float32
    /// result held against float64 expectations)</param>
    /// <param name="equalNan">NaN against NaN meets the tolerance (torch's <c>equal_nan</c>)</param>
    public DistanceMeter(Tolerance? tolerance = null, torch.ScalarType ulpFormat = torch.ScalarType.Float64, bool equalNan = false)
    {
        this.tolerance = tolerance;
        this.ulpFormat = ulpFormat;
        this.equalNan = equalNan;
    }

    /// <summary>The distance of <paramref name="actual"/> from <paramref name="expected"/>.</summary>
    public static TensorDistance Measure(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected,
        Tolerance? tolerance = null, torch.ScalarType ulpFormat = torch.ScalarType.Float64)
    {
        var meter = new DistanceMeter(tolerance, ulpFormat);
        meter.Add(actual, expected);
        return meter.Result;
    }

    /// <summary>Whether every element meets <paramref name="tolerance"/> (false for different lengths).</summary>
    public static bool Within(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tolerance)
    {
        if (actual.Length != expected.Length) return false;
        for (int i = 0; i < actual.Length; i++)
            if (!tolerance.Accepts(actual[i], expected[i]))
                return false;
        return true;
    }

    /// <summary>Everything measured so far.</summary>
    public TensorDistance Result => new(maxAbs, maxRel, maxUlp, count, equal)
    {
        MaxAbsAt = maxAbsAt,
        Mismatched = mismatched,
        GreatestAbsoluteMismatch = worstAbs,
        GreatestRelativeMismatch = worstRel,
        GreatestUlpMismatch = worstUlp,
    };

    /// <summary>Every element so far met the tolerance, and at least one was compared.</summary>
    public bool Pass => mismatched == 0 && count > 0;

    /// <summary>Adds the next chunk; its elements' indices continue from the previous chunks'.</summary>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected)
    {
        if (actual.Length != expected.Length)
            throw new ArgumentException($"cannot compare {actual.Length} actual values with {expected.Length} expected ones");
        long offset = count;
        count += actual.Length;
        for (int i = 0; i < actual.Length; i++)
        {
            double a = actual[i], e = expected[i];
            bool mismatch = tolerance is not null && !tolerance.Accepts(a, e, equalNan);
            if (mismatch) mismatched++;
            if (BitConverter.DoubleToInt64Bits(a) == BitConverter.DoubleToInt64Bits(e))
            {
                equal++;
                if (mismatch) NoteMismatch(Element(offset + i, a, e)); // NaN against the same NaN, equalNan off
                continue;
            }

            var element = Element(offset + i, a, e);
            if (mismatch) NoteMismatch(element);
            if (!double.IsFinite(a) || !double.IsFinite(e))
            {
                if (maxAbs != double.PositiveInfinity) maxAbsAt = element;
                maxAbs = maxRel = double.PositiveInfinity;
                maxUlp = long.MaxValue;
                continue;
            }
            if (element.AbsoluteDifference > maxAbs || maxAbsAt is null)
            {
                maxAbs = element.AbsoluteDifference;
                maxAbsAt = element;
            }
            maxRel = Math.Max(maxRel, element.RelativeDifference);
            maxUlp = Math.Max(maxUlp, element.Ulp);
        }
    }

    ElementDifference Element(long index, double a, double e)
    {
        double abs = Math.Abs(a - e);
        double rel = abs / Math.Abs(e); // x/0 is infinite, as in PyTorch's message
        bool finite = double.IsFinite(a) && double.IsFinite(e);
        return new ElementDifference(index, a, e, abs, rel, finite ? Ulp.Distance(a, e, ulpFormat) : long.MaxValue);
    }

    // PyTorch takes torch.max over the mismatches, which returns the first NaN if there is one.
    void NoteMismatch(ElementDifference x)
    {
        if (Greater(x.AbsoluteDifference, worstAbs?.AbsoluteDifference)) worstAbs = x;
        if (Greater(x.RelativeDifference, worstRel?.RelativeDifference)) worstRel = x;
        if (x.Ulp != long.MaxValue && (worstUlp is null || x.Ulp > worstUlp.Ulp)) worstUlp = x;

        static bool Greater(double candidate, double? best) =>
            best is not double b ? true : !double.IsNaN(b) && (double.IsNaN(candidate) || candidate > b);
    }
}
