using System.Globalization;
using System.Text.Json;
using CnnParity.Core;
using CnnParity.Parity.Triage;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>
/// How every triaged check is shown: a table with one column per side (its largest distance from the float64 truth, and
/// its worst element in bounds), the branch decisions rounding made, and the verdict naming the side that is wrong; and
/// the same in JSON, one check per line, read back by <c>report merge</c>. Forward, gradient and deployed rows all go
/// through here.
/// </summary>
public static class TriageRows
{
    internal static Table Table(IReadOnlyList<TriagedCheck> checks, string firstColumn)
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

    /// <summary>
    /// A check as <c>parity</c> prints it: "gradient f32 conv1.weight  first batch  engine 9.80e-9 (0.061×)  TorchSharp twin
    /// 7.33e-9 (0.058×)  PASS (3 decided by rounding)".
    /// </summary>
    public static string Line(TriagedCheck c) =>
        $"{c.Kind,-8} {c.Dtype.ShortName()} {c.Tensor,-14} {c.Scope,-22} " +
        string.Join("  ", c.Sides.Select(s => $"{s.Side} {Cell(s)}")) + $"  {c.Verdict}";

    /// <summary>A grid spec's line: its verdict, its worst element in bounds per dtype, the decisions rounding made, the spec.</summary>
    public static string GridLine(Parity.Specs.SpecParityResult r) =>
        $"{(r.Passed ? Verdicts.Pass : Verdicts.Fail)} {r.Index,4}  f64 ≤{TriagedCheck.Number(Math.Max(r.WorstForward(Dtype.Float64), r.WorstGradient(Dtype.Float64)))}× tolerance  " +
        $"f32 ≤{TriagedCheck.Number(Math.Max(r.WorstForward(Dtype.Float32), r.WorstGradient(Dtype.Float32)))}× bound" +
        (r.DecidedByRounding > 0 ? $" ({r.DecidedByRounding} decided by rounding)" : "") + $"  {r.Spec}";

    // "2.72e-7 (0.23×)": how far, and the worst element in bounds.
    private static string Cell(SideDistance d) => $"{Show.Sci(d.MaxAbs)} ({TriagedCheck.Number(d.Ratio)}×)";

    /// <summary>One check's fields (the caller opens and closes its object).</summary>
    internal static void Fields(Utf8JsonWriter w, TriagedCheck c)
    {
        w.WriteString("kind", c.Kind);
        w.WriteString("tensor", c.Tensor);
        w.WriteString("dtype", c.Dtype.ShortName());
        w.WriteString("scope", c.Scope);
        w.WriteStartArray("shape");
        foreach (long n in c.Shape) w.WriteNumberValue(n);
        w.WriteEndArray();
        w.WriteString("truth", c.Truth);
        w.WriteString("bound", c.Bound);
        w.WriteStartArray("sides");
        foreach (var s in c.Sides)
        {
            w.WriteStartObject();
            w.WriteString("side", s.Side);
            Double(w, "maxAbs", s.MaxAbs);
            Double(w, "worstRatio", s.Ratio);
            Double(w, "worstDistance", s.Distance);
            w.WriteNumber("worstIndex", s.Index);
            w.WriteString("worstAt", c.Position(s.Index));
            w.WriteNumber("outside", s.Outside);
            w.WriteNumber("count", s.Count);
            if (s.Flips is { } f)
            {
                w.WriteNumber("decidedByRounding", f.Decided);
                w.WriteNumber("decidedBeyondRounding", f.Beyond);
                if (f.FirstBeyond is not null) w.WriteString("firstDecidedBeyond", f.FirstBeyond);
            }
            w.WriteBoolean("within", s.Within);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteBoolean("pass", c.Pass);
        w.WriteString("verdict", c.Verdict);
        if (c.FailLine() is { } failure) w.WriteString("failure", failure);
    }

    /// <summary>A check as <see cref="Fields"/> wrote it.</summary>
    internal static TriagedCheck Read(JsonElement e) => new(
        e.GetProperty("kind").GetString()!, e.GetProperty("tensor").GetString()!, DtypeNames.Parse(e.GetProperty("dtype").GetString()!),
        e.GetProperty("scope").GetString()!, [.. e.GetProperty("shape").EnumerateArray().Select(n => n.GetInt64())],
        e.GetProperty("truth").GetString()!, e.GetProperty("bound").GetString()!,
        [.. e.GetProperty("sides").EnumerateArray().Select(s => new SideDistance(
            s.GetProperty("side").GetString()!, Number(s, "worstDistance"), s.GetProperty("worstIndex").GetInt64(), Number(s, "worstRatio"),
            Number(s, "maxAbs"), s.GetProperty("outside").GetInt64(), s.GetProperty("count").GetInt64(),
            s.TryGetProperty("decidedByRounding", out var decided)
                ? new BranchFlips(decided.GetInt64(), s.GetProperty("decidedBeyondRounding").GetInt64(),
                    s.TryGetProperty("firstDecidedBeyond", out var first) ? first.GetString() : null, [])
                : null))]);

    // Non-finite numbers (a NaN or infinity met) are written as strings, which JSON numbers cannot hold.
    private static void Double(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        if (double.IsFinite(value)) w.WriteRawValue(JsonOut.R(value), skipInputValidation: true);
        else w.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    private static double Number(JsonElement parent, string name) => CheckRowsJson.Number(parent, name);
}
