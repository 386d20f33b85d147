namespace CnnParity.Testing;

/// <summary>
/// How far an actual tensor is from an expected one of the same shape, over all elements; and, when measured
/// against a <see cref="Tolerance"/>, how many elements break it and which break it worst.
/// </summary>
/// <param name="MaxAbs">max |a − b|; infinite when any pair differs and is not finite</param>
/// <param name="MaxRel">max |a − b| / |b|, relative to the expected side</param>
/// <param name="MaxUlp">max distance in units in the last place of the compared format</param>
/// <param name="Count">elements compared</param>
/// <param name="BitwiseEqual">elements whose bits are identical</param>
public sealed record TensorDistance(double MaxAbs, double MaxRel, long MaxUlp, long Count, long BitwiseEqual)
{
    /// <summary>The element with the largest absolute difference (the first, on ties); null when every element is bitwise equal.</summary>
    public ElementDifference? MaxAbsAt { get; init; }

    /// <summary>Elements outside the tolerance measured against; 0 when there was none.</summary>
    public long Mismatched { get; init; }

    /// <summary>Among the mismatched elements, the greatest absolute difference (a NaN difference counts as greatest, as in PyTorch).</summary>
    public ElementDifference? GreatestAbsoluteMismatch { get; init; }

    /// <summary>Among the mismatched elements, the greatest relative difference.</summary>
    public ElementDifference? GreatestRelativeMismatch { get; init; }

    /// <summary>Among the mismatched elements with finite values, the greatest ULP distance.</summary>
    public ElementDifference? GreatestUlpMismatch { get; init; }

    /// <summary>Share of elements that are bitwise equal (0 when nothing was compared).</summary>
    public double BitwiseEqualFraction => Count == 0 ? 0 : (double)BitwiseEqual / Count;
}
