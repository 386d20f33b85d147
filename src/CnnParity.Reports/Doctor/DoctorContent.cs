using System.Globalization;
using CnnParity.Parity.Doctor;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Doctor;

/// <summary>
/// What doctor-report.md and .html say, in order, as blocks: the verdict and each problem first (what CI logs and
/// readers need), the recommended setting, the groups at a glance, the machine, then every case.
/// </summary>
internal static class DoctorContent
{
    public const string Title = "CnnParity doctor: is LibTorch right on this machine?";

    public static IReadOnlyList<Block> Full(DoctorReport r) =>
    [
        new VerdictLine(r.Verdict, Title),
        .. Summary(r),
        new Heading("Groups"), Groups(r.Results),
        new Heading("Machine"), Machine(r.Machine, r.LibTorchWarnings),
        new Heading("How a case is judged"), .. Bound(),
        .. Trials(r),
        new Heading("Every case"), Cases(r.Results),
    ];

    static IEnumerable<Block> Summary(DoctorReport r)
    {
        int right = r.Results.Count(c => c.IsGood);
        yield return new Paragraph(string.Create(CultureInfo.InvariantCulture,
            $"{right} of {r.Results.Count} cases right ({r.Sweep} sweep, {r.Setting}); {Show.Seconds(r.Seconds)} in all."));
        if (r.Problems.Count > 0)
            yield return new Bullets([.. r.Problems.Select(p => new Paragraph(p))]);
        if (r.Recommendation is not null)
            yield return new Paragraph(r.Recommendation, "What to set:");
    }

    /// <summary>Per group: cases, right, wrong, crashed, other, the worst ratio to the bound.</summary>
    public static Table Groups(IReadOnlyList<CaseResult> results) => new(
        ["group", "cases", "right", "wrong", "crashed", "failed or hung", "worst |torch − truth| / bound"],
        [.. results.GroupBy(r => r.Case.Group).Select(g => (IReadOnlyList<string>)[
            g.Key, Show.Int(g.Count()), Show.Int(g.Count(r => r.IsGood)), Show.Int(g.Count(r => r.Outcome == CaseOutcome.Wrong)),
            Show.Int(g.Count(r => r.Outcome == CaseOutcome.Crashed)), Show.Int(g.Count(r => r.Outcome is CaseOutcome.Failed or CaseOutcome.Hung)),
            Ratio(g.Select(r => r.Worst?.Ratio).Where(x => x is not null).Select(x => x!.Value).DefaultIfEmpty(double.NaN).Max())])],
        [false, true, true, true, true, true, true]);

    static Table Machine(DoctorMachine m, IReadOnlyList<string> warnings) => KeyValue(
    [
        ("CPU", m.Cpu), ("logical cores", Show.Int(m.LogicalCores)),
        ("vector instructions", string.Join(" ", m.VectorFlags) is { Length: > 0 } v ? v : "none reported"),
        ("caches (as the OS reports them)", m.Caches.Count > 0 ? string.Join(", ", m.Caches) : "none reported"),
        ("NNPACK", m.Nnpack switch { true => "available", false => "not available (LibTorch could not initialise it)", null => "unknown (LibTorch could not be asked)" }),
        (TorchSetting.IsaVariable, m.DnnlMaxCpuIsa ?? "not set"),
        ("OS", m.Os), (".NET", m.DotNet), ("CnnParity", m.CnnParity), ("TorchSharp", m.TorchSharp), ("LibTorch", m.LibTorch),
        .. warnings.Select(w => ("LibTorch warned", w)),
    ]);

    static IEnumerable<Block> Bound()
    {
        yield return new Paragraph(
            "Every case is held against the from-scratch engine's float64 layers (src/CnnParity.Core/Engines/OpReference.cs) on the same " +
            "numbers (float32 values, promoted exactly). The bound is the triage's, the one every parity check holds a float32 result to: " +
            $"{Parity.Triage.RoundingBound.Description}; the float64 reference (src/CnnParity.Core/Engines/Reference) carries it for the op in " +
            "LibTorch's dtype (in float64 at float64's unit roundoff). " +
            "A case is right when every element's ratio |torch − truth| / bound is at most 1.");
    }

    static IEnumerable<Block> Trials(DoctorReport r)
    {
        if (!r.IsaRequested)
            yield break;
        yield return new Heading("The failing cases under other settings (--isa)");
        if (r.Isa.Count == 0)
        {
            yield return new Paragraph("Nothing failed: nothing to try.");
            yield break;
        }
        yield return new Table(["setting", "right", "wrong", "crashed", "failed or hung", "every case right"],
            [.. r.Isa.Select(t => (IReadOnlyList<string>)[
                t.Setting.ToString(), Show.Int(t.Results.Count(c => c.Outcome == CaseOutcome.Right)), Show.Int(t.Results.Count(c => c.Outcome == CaseOutcome.Wrong)),
                Show.Int(t.Results.Count(c => c.Outcome == CaseOutcome.Crashed)), Show.Int(t.Results.Count(c => c.Outcome is CaseOutcome.Failed or CaseOutcome.Hung)),
                t.AllRight ? "yes" : "no"])],
            [false, true, true, true, true, false]);
    }

    static Table Cases(IReadOnlyList<CaseResult> results) => new(
        ["case", "result", "worst element", "|torch − truth| / bound", "elements", "LibTorch time"],
        [.. results.Select(r => (IReadOnlyList<string>)[
            r.Case.Id, Outcome(r), r.Worst is { } w ? $"{w.Tensor}[{Show.Int(w.Index)}]" : r.Detail ?? "",
            r.Worst is { } x ? Ratio(x.Ratio) : "", Show.Int(r.Elements), r.Outcome is CaseOutcome.Right or CaseOutcome.Wrong or CaseOutcome.Ran ? Show.Seconds(r.Seconds) : ""])],
        [false, false, false, true, true, true]);

    /// <summary>"right", "WRONG", "CRASHED (SIGFPE (8))", ...</summary>
    public static string Outcome(CaseResult r) => r.Outcome switch
    {
        CaseOutcome.Right => "right",
        CaseOutcome.Ran => "ran",
        CaseOutcome.Crashed => $"CRASHED ({r.SignalName})",
        _ => r.Outcome.ToString().ToUpperInvariant(),
    };

    /// <summary>A ratio to the bound: "3.2e-3", "0" or "∞".</summary>
    public static string Ratio(double ratio) => double.IsNaN(ratio) ? "" : double.IsPositiveInfinity(ratio) ? "∞" : ratio == 0 ? "0" : Show.Sci(ratio);

    static Table KeyValue(IEnumerable<(string Key, string Value)> pairs) =>
        new(["", ""], [.. pairs.Select(p => (IReadOnlyList<string>)[p.Key, p.Value])], [false, false]);
}
