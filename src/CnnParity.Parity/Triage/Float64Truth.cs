using CnnParity.Testing;

namespace CnnParity.Parity.Triage;

/// <summary>
/// Decides the float64 truth among three float64 opinions — the float64 reference, the from-scratch engine and the
/// TorchSharp twin — fed chunk by chunk: two that agree within the float64 tolerance make the truth (the reference when
/// it is one of them), and whoever disagrees with it is the side to blame. Every pair is measured both ways, so the truth
/// can be chosen once the whole tensor has been seen.
/// </summary>
public sealed class Float64Truth
{
    private readonly string[] _sides;
    private readonly Tolerance _tolerance;
    private readonly TruthMeter[,] _meters;

    /// <param name="sides">the opinions' names, the referee first ("float64 reference", "engine", "TorchSharp twin")</param>
    public Float64Truth(IReadOnlyList<string> sides, Tolerance tolerance)
    {
        _sides = [.. sides];
        _tolerance = tolerance;
        _meters = new TruthMeter[_sides.Length, _sides.Length];
        for (int a = 0; a < _sides.Length; a++)
            for (int t = 0; t < _sides.Length; t++)
                _meters[a, t] = new TruthMeter(_sides[a]);
    }

    /// <summary>Adds a chunk: every opinion's values, in the order of the sides.</summary>
    public void Add(IReadOnlyList<double[]> opinions, long offset = 0)
    {
        for (int a = 0; a < _sides.Length; a++)
            for (int t = 0; t < _sides.Length; t++)
                if (a != t) _meters[a, t].Add(opinions[a], opinions[t], _tolerance, offset);
    }

    /// <summary>
    /// The truth and every other side's distance from it. The first opinion that another agrees with is the truth; with no
    /// two in agreement, the first is measured against and every other side is blamed, with the truth said to be missing.
    /// </summary>
    public (string Truth, IReadOnlyList<SideDistance> Sides) Decide()
    {
        for (int t = 0; t < _sides.Length; t++)
        {
            var agreeing = Enumerable.Range(0, _sides.Length).Where(a => a != t && _meters[a, t].Result().Within).ToList();
            if (agreeing.Count == 0) continue;
            string truth = $"{_sides[t]} (agrees with {string.Join(" and ", agreeing.Select(a => _sides[a]))})";
            return (truth, Enumerable.Range(0, _sides.Length).Where(a => a != t).Select(a => _meters[a, t].Result()).ToList());
        }
        return ($"none: no two float64 opinions agree ({string.Join(", ", _sides)})",
            Enumerable.Range(1, _sides.Length - 1).Select(a => _meters[a, 0].Result()).ToList());
    }
}
