namespace CnnParity.Parity.Triage;

/// <summary>
/// What a float32 computation actually receives: every parameter, image and dropout scale rounded to float32 once. The
/// float64 truth of a float32 result is computed from these, widened exactly, so that it differs from the result by
/// rounding in the arithmetic alone.
/// </summary>
public static class Float32Inputs
{
    /// <summary>The values rounded to float32 and widened back.</summary>
    public static double[] Round(ReadOnlySpan<double> values)
    {
        var rounded = new double[values.Length];
        for (int i = 0; i < values.Length; i++) rounded[i] = (float)values[i];
        return rounded;
    }

    /// <summary>Every tensor of <paramref name="byName"/> rounded (the parameters, the masks).</summary>
    public static Func<string, double[]> Round(Func<string, double[]> byName)
    {
        var cache = new Dictionary<string, double[]>();
        return name => cache.TryGetValue(name, out var v) ? v : cache[name] = Round(byName(name));
    }
}
