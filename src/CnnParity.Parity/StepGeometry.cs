namespace CnnParity.Parity;

/// <summary>Angle and length of one update step against another (used by the book-rule analysis).</summary>
public static class StepGeometry
{
    /// <summary>cos of the angle between a and b: 1 same direction, -1 opposite, 0 unrelated.</summary>
    public static double Cosine(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double dot = 0, na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { dot += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
        return dot / Math.Sqrt(na * nb);
    }

    /// <summary>|a| / |b|.</summary>
    public static double NormRatio(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        double na = 0, nb = 0;
        for (int i = 0; i < a.Length; i++) { na += a[i] * a[i]; nb += b[i] * b[i]; }
        return Math.Sqrt(na / nb);
    }
}
