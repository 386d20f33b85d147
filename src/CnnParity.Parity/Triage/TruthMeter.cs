using CnnParity.Core;
using CnnParity.Core.Engines.Reference;
using CnnParity.Testing;

namespace CnnParity.Parity.Triage;

/// <summary>
/// Measures one side against the float64 truth over one tensor, fed in chunks (a test set never sits in memory at once):
/// per element |side − truth| against that element's bound, keeping the worst ratio, where it was, and the largest
/// distance. A NaN or infinity where the truth is finite is outside any bound.
/// </summary>
public sealed class TruthMeter(string side)
{
    private double _distance, _ratio, _maxAbs;
    private long _index = -1, _outside, _count;

    public string Side { get; } = side;

    /// <summary>Adds a chunk against a carried float64 truth, each element bounded by <see cref="RoundingBound.Of"/> for <paramref name="dtype"/>.</summary>
    public void Add(ReadOnlySpan<double> actual, Carried truth, Dtype dtype, long offset = 0) =>
        Add(actual, truth.Value, i => RoundingBound.Of(truth, i, dtype), offset);

    /// <summary>Adds a chunk against a float64 truth, each element bounded by <paramref name="tolerance"/> (atol + rtol·|truth|).</summary>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> truth, Tolerance tolerance, long offset = 0)
    {
        var values = truth.ToArray();
        Add(actual, values, i => tolerance.Atol + tolerance.Rtol * Math.Abs(values[i]), offset);
    }

    /// <summary>Adds a chunk: element i of <paramref name="actual"/> (element offset + i of the tensor) against <paramref name="truth"/>, within <paramref name="bound"/>(i).</summary>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> truth, Func<int, double> bound, long offset = 0)
    {
        if (actual.Length != truth.Length) throw new ArgumentException($"{actual.Length} values against a truth of {truth.Length}");
        for (int i = 0; i < actual.Length; i++)
        {
            double t = truth[i], d = Math.Abs(actual[i] - t);
            double ratio = d == 0 || (double.IsNaN(actual[i]) && double.IsNaN(t)) ? 0
                : double.IsFinite(d) ? d / bound(i)
                : double.PositiveInfinity;
            if (ratio > 1) _outside++;
            if (_index < 0 || ratio > _ratio) (_ratio, _distance, _index) = (ratio, d, offset + i);
            if (d > _maxAbs || double.IsNaN(d)) _maxAbs = d;
        }
        _count += actual.Length;
    }

    /// <summary>What was measured, with the side's differing branch decisions where they bear on this tensor.</summary>
    public SideDistance Result(BranchFlips? flips = null) =>
        new(Side, _distance, _index, _count == 0 ? 0 : _ratio, _maxAbs, _outside, _count, flips);
}
