using System.Globalization;
using CnnParity.Core;

namespace CnnParity.Parity.Triage;

/// <summary>
/// One check judged against the float64 truth: each side's distance from it, in bounds, and the verdict that follows —
/// PASS, PASS with elements decided by rounding, or FAIL naming the side (or sides) that is wrong and by how much.
/// </summary>
/// <param name="Kind">"forward", "gradient", "deployed" or "golden"</param>
/// <param name="Tensor">the layer or parameter (conv1, loss, conv1.weight, logits)</param>
/// <param name="Scope">"first batch", "test set (10000, eval)"</param>
/// <param name="Shape">the tensor's shape (a batch of a layer's outputs, a parameter), for positions in the messages</param>
/// <param name="Truth">where the truth came from: e.g. "float64 reference (agrees with engine and twin)"</param>
/// <param name="Bound">the bound's name: <see cref="RoundingBound"/> in float32, the float64 tolerance in float64</param>
/// <param name="Sides">every side judged, in a fixed order</param>
public sealed record TriagedCheck(string Kind, string Tensor, Dtype Dtype, string Scope, long[] Shape, string Truth, string Bound,
    IReadOnlyList<SideDistance> Sides)
{
    /// <summary>Every side within its bound, every differing decision explained by rounding.</summary>
    public bool Pass => Sides.Count > 0 && Sides.All(s => s.Within);

    /// <summary>The sides that are wrong.</summary>
    public IEnumerable<SideDistance> Blamed => Sides.Where(s => !s.Within);

    /// <summary>Branch decisions rounding made otherwise, over all sides.</summary>
    public long DecidedByRounding => Sides.Sum(s => s.DecidedByRounding);

    /// <summary>"PASS", "PASS (12 decided by rounding)" or "FAIL: TorchSharp twin".</summary>
    public string Verdict => Pass
        ? DecidedByRounding > 0 ? $"PASS ({DecidedByRounding:N0} decided by rounding)" : "PASS"
        : $"FAIL: {string.Join(", ", Blamed.Select(s => s.Side))}";

    /// <summary>
    /// The one line a failure gets, e.g. "TorchSharp twin conv1 (f32): 0.354 from the float64 truth at (17,1,0,0),
    /// 2.1e6× its rounding bound; engine: 3.0e-8 (within)". Null when the check passed.
    /// </summary>
    public string? FailLine()
    {
        if (Pass) return null;
        var blamed = Blamed.ToList();
        var first = blamed[0];
        string line = $"{first.Side} {Tensor} ({Dtype.ShortName()}{(Kind == "forward" ? "" : $", {Kind}")}, {Scope}): {Describe(first)}";
        foreach (var other in blamed.Skip(1)) line += $"; {other.Side} too: {Describe(other)}";
        foreach (var fine in Sides.Where(s => s.Within)) line += $"; {fine.Side}: {Number(fine.MaxAbs)} (within)";
        return line;
    }

    private string Describe(SideDistance s)
    {
        var parts = new List<string>();
        if (!(s.Ratio <= 1))
        {
            string ratio = double.IsInfinity(s.Ratio) ? "not a finite number" : $"{Number(s.Ratio)}× its {(Dtype == Dtype.Float32 ? "rounding bound" : "tolerance")}";
            parts.Add($"{Number(s.Distance)} from the float64 truth at {Position(s.Index)}, {ratio}" +
                      (s.Outside > 1 ? $" ({s.Outside:N0} of {s.Count:N0} elements outside)" : ""));
        }
        if (s.Flips is { Beyond: > 0 } flips)
            parts.Add($"{flips.Beyond:N0} branch decisions in {flips.FirstBeyond} differ from the float64 truth beyond rounding");
        return string.Join("; ", parts);
    }

    /// <summary>A flat index as the tensor's coordinates: "(17,1,0,0)".</summary>
    public string Position(long index)
    {
        if (index < 0 || Shape.Length == 0) return $"[{index}]";
        var coordinates = new long[Shape.Length];
        for (int d = Shape.Length - 1; d >= 0; d--)
        {
            coordinates[d] = index % Shape[d];
            index /= Shape[d];
        }
        return $"({string.Join(",", coordinates)})";
    }

    /// <summary>3 significant digits, scientific outside [0.001, 1000): "0.354", "3e-8", "2.1e+6".</summary>
    public static string Number(double x) =>
        !double.IsFinite(x) || x == 0 ? x.ToString(CultureInfo.InvariantCulture)
        : Math.Abs(x) is < 1e-3 or >= 1e3 ? x.ToString("0.##e+0", CultureInfo.InvariantCulture)
        : x.ToString(Math.Abs(x) >= 100 ? "F0" : "G3", CultureInfo.InvariantCulture);
}
