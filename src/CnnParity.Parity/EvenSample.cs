using CnnParity.Core.Architecture;

namespace CnnParity.Parity;

/// <summary>Which entries of a tensor the finite differences probe: a deterministic spread, the same on every run.</summary>
public static class EvenSample
{
    /// <summary>A deterministic, evenly spread sample of <paramref name="count"/> indices out of <paramref name="length"/>.</summary>
    public static int[] Indices(int length, int count)
    {
        if (count >= length) return Enumerable.Range(0, length).ToArray();
        // A stride coprime-ish with the classes so that a dense weight's sample touches every class column.
        return Enumerable.Range(0, count).Select(n => (int)((long)n * length / count + n % ArchitectureSpec.Classes) % length).Distinct().ToArray();
    }
}
