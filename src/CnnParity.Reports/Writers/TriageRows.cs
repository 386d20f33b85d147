using CnnParity.Core;
using CnnParity.Parity.Triage;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>
/// How every triaged check is shown: a table with one column per side (its largest distance from the float64 truth, and
/// its worst element in bounds), the branch decisions rounding made, and the verdict naming the side that is wrong; and
/// the same in JSON. Forward, gradient and deployed rows all go through here.
/// </summary>
internal static class TriageRows
{
    public static Table Table(IReadOnlyList<TriagedCheck> checks, string firstColumn)
    {
        var sides = checks.SelectMany(c => c.Sides.Select(s => s.Side)).Distinct().ToList();
        return new Table(
            [firstColumn, "dtype", "scope", .. sides.Select(s => $"{s}: from truth (× bound)"), "decided by rounding", "result"],
            [.. checks.Select(c => (IReadOnlyList<string>)[
                c.Tensor, c.Dtype.ShortName(), c.Scope,
                .. sides.Select(s => c.Sides.FirstOrDefault(d => d.Side == s) is { } d ? Cell(d) : "—"),
                Show.Int(c.DecidedByRounding), c.Pass ? Verdicts.Pass : c.Verdict])],
            [false, false, false, .. sides.Select(_ => true), true, false]);
    }

    // "2.72e-7 (0.23×)": how far, and the worst element in bounds.
    private static string Cell(SideDistance d) => $"{Show.Sci(d.MaxAbs)} ({TriagedCheck.Number(d.Ratio)}×)";

    public static void Json(JsonOut o, TriagedCheck c)
    {
        o.String("kind", c.Kind);
        o.String("tensor", c.Tensor);
        o.String("dtype", c.Dtype.ShortName());
        o.String("scope", c.Scope);
        o.Integers("shape", c.Shape);
        o.String("truth", c.Truth);
        o.String("bound", c.Bound);
        o.W.WriteStartArray("sides");
        foreach (var s in c.Sides)
        {
            o.W.WriteStartObject();
            o.String("side", s.Side);
            o.Number("maxAbs", s.MaxAbs);
            o.Number("worstRatio", s.Ratio);
            o.Number("worstDistance", s.Distance);
            o.String("worstAt", c.Position(s.Index));
            o.Int("outside", s.Outside);
            o.Int("count", s.Count);
            o.Int("decidedByRounding", s.DecidedByRounding);
            o.Int("decidedBeyondRounding", s.Flips?.Beyond ?? 0);
            o.Bool("within", s.Within);
            o.W.WriteEndObject();
        }
        o.W.WriteEndArray();
        o.Bool("pass", c.Pass);
        o.String("verdict", c.Verdict);
        o.String("failure", c.FailLine());
    }
}
