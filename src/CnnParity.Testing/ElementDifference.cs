namespace CnnParity.Testing;

/// <summary>One element of a comparison: where it is and how far apart the two values are.</summary>
/// <param name="Index">flat index in C (row-major) order</param>
/// <param name="Actual">the value under test</param>
/// <param name="Expected">the reference value</param>
/// <param name="AbsoluteDifference">|actual − expected|; NaN when either is NaN</param>
/// <param name="RelativeDifference">|actual − expected| / |expected| (infinite when expected is 0), as PyTorch reports it</param>
/// <param name="Ulp">distance in units in the last place of the compared format; <see cref="long.MaxValue"/> when a value is not finite</param>
public sealed record ElementDifference(long Index, double Actual, double Expected, double AbsoluteDifference, double RelativeDifference, long Ulp);
