using System.Globalization;
using System.Text;
using CnnParity.Testing.Rendering;

namespace CnnParity.Testing;

/// <summary>
/// A comparison of a model with its reference, check by check in the order the computation ran — forward
/// outputs, loss, gradients, training steps — with the <see cref="FirstFailure"/> marked: where the port went
/// wrong (later checks usually fail because of it). Renders as Markdown, JSON or HTML, like the parity report.
/// </summary>
public sealed class ParityResult
{
    /// <summary>Version of the JSON this class writes.</summary>
    public const int SchemaVersion = 1;

    internal ParityResult(string title, IReadOnlyList<ParityCheck> checks, IReadOnlyList<string> notes)
    {
        Title = title;
        Checks = checks;
        Notes = notes;
        FirstFailure = checks.FirstOrDefault(c => !c.Pass);
    }

    /// <summary>What was compared with what, e.g. "LeNet5 port vs PyTorch golden".</summary>
    public string Title { get; }

    /// <summary>Every check, in execution order.</summary>
    public IReadOnlyList<ParityCheck> Checks { get; }

    /// <summary>The first check that broke its tolerance, or null.</summary>
    public ParityCheck? FirstFailure { get; }

    /// <summary>What else happened: a forward that threw, a submodule never observed.</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Every check passed (and there was at least one).</summary>
    public bool Pass => FirstFailure is null && Checks.Count > 0;

    /// <summary>Throws unless every check passed; the message names the first failure and shows the whole table.</summary>
    /// <exception cref="TensorMismatchException">some check failed</exception>
    public void AssertPass()
    {
        if (Pass) return;
        var sb = new StringBuilder();
        if (FirstFailure is { } f)
        {
            int failed = Checks.Count(c => !c.Pass);
            sb.Append(CultureInfo.InvariantCulture,
                $"{Title}: {f.Name} ({f.Stage}) is the first of {failed} failing checks out of {Checks.Count}; look there first.\n\n");
            if (f.Truth is { } t) sb.Append(t.Reason).Append('\n');
            if (f.Problem is not null) sb.Append(CultureInfo.InvariantCulture, $"{f.Name} ({f.Stage}): {f.Problem}");
            else if (f.Distance is { Mismatched: > 0 } d && f.Truth is not { Float64Agrees: false })
                sb.Append(MismatchMessage.Values($"{f.Name} ({f.Stage})", d, f.Shape, f.Tolerance, f.DType, MismatchMessage.ToleranceSource.Named));
            sb.Append("\n\n");
        }
        else sb.Append(Title).Append(": nothing was compared.\n\n");
        sb.Append(ToMarkdown());
        throw new TensorMismatchException(sb.ToString().TrimEnd('\n'), FirstFailure?.Distance ?? new TensorDistance(0, 0, 0, 0, 0));
    }

    /// <summary>The comparison as a Markdown document (verdict line, table, tolerances).</summary>
    public string ToMarkdown() => MarkdownBlocks.Render(Blocks());

    /// <summary>The comparison as one self-contained HTML page.</summary>
    public string ToHtml() => HtmlBlocks.Page($"{Verdict}: {Title}", Blocks());

    /// <summary>The comparison as JSON: every check with its distance and tolerance, doubles as shortest round-trip text.</summary>
    public string ToJson() => ParityJson.Render(this);

    /// <inheritdoc/>
    public override string ToString() => ToMarkdown();

    internal string Verdict => Pass ? Verdicts.Pass : Verdicts.Fail;

    /// <summary>Golden outputs answered by a port output of another name: (golden name, port name).</summary>
    internal IEnumerable<(string Golden, string Port)> Alignments =>
        Checks.Where(c => c.MatchedByValue is not null).Select(c => (c.Name, c.MatchedByValue!));

    /// <summary>Forward elements on which the port's float32 took the other side of a kink than float64, within rounding.</summary>
    internal long DecidedByRounding => Checks.Where(c => c.Stage == "forward").Sum(c => c.Truth?.Port.DecidedByRounding ?? 0);

    /// <summary>Checks that passed only because a kink decided by rounding moved them (gradients and steps).</summary>
    internal int PassedByRounding => Checks.Count(c => c.Pass && c.Stage != "forward" && c.Truth?.DecidedByRounding > 0);

    IEnumerable<Block> Blocks()
    {
        yield return new VerdictLine(Verdict, Title);
        int failed = Checks.Count(c => !c.Pass);
        yield return new Paragraph((FirstFailure is { } f
            ? $"{failed} of {Checks.Count} checks failed; the first is {f.Name} ({f.Stage})."
            : $"{Checks.Count} checks within tolerance.") + Rounding());
        var alignments = Alignments.ToList();
        if (alignments.Count > 0)
            yield return new Bullets([.. alignments.Select(a => new Paragraph($"{a.Golden} matched by value to {a.Port}"))]);
        if (Notes.Count > 0) yield return new Bullets([.. Notes.Select(n => new Paragraph(n))]);
        yield return new Table(
            ["stage", "name", "shape", "max abs", "max rel", "max ULP", "mismatched", "tolerance", "result", "note"],
            [.. Checks.Select(Row)],
            [false, false, false, true, true, true, true, false, false, false]);
        var tolerances = Checks.Select(c => c.Tolerance).DistinctBy(t => t.Name).ToList();
        yield return new Paragraph("A check passes when |a − b| ≤ atol + rtol·|b| for every element (as torch.testing.assert_close)." +
            (Checks.Any(c => c.Truth is not null)
                ? $" An {TruthJudge.ToleranceName} check holds each side's float32 tensor against the golden's float64 shadow T, once the port's float64 run agrees " +
                  $"with T ({Tolerance.Float64.Name}); its atol is widened by κ = {TruthJudgement.Kappa:0} × the other side's max distance from T on the same tensor. " +
                  "The columns show the port's float32 against T."
                : ""));
        yield return new Table(["tolerance", "rtol", "atol", "why"],
            [.. tolerances.Select(t => (IReadOnlyList<string>)[t.Name, Show.Sci(t.Rtol),
                t.Name == TruthJudge.ToleranceName ? $"{Show.Sci(Tolerance.Float32.Atol)} + κ·max|other − T|" : Show.Sci(t.Atol), t.Why])],
            [false, true, true, false]);
    }

    string Rounding()
    {
        long decided = DecidedByRounding;
        int excused = PassedByRounding;
        if (decided == 0 && excused == 0) return "";
        return $" {Show.Int(decided)} elements decided by rounding (the port's float32 and the float64 truth on either side of a ReLU or max-pool kink, within the rounding bound)" +
               (excused > 0 ? $"; {excused} gradient and step checks pass because of them, their float64 checks passing." : ".");
    }

    IReadOnlyList<string> Row(ParityCheck c)
    {
        var d = c.Distance;
        string detail = string.Join("; ", new[]
        {
            c.MatchedByValue is null ? null : "matched by value to " + c.MatchedByValue,
            c.Problem,
            c.Truth is { } t && c.Stage == "forward" && t.DecidedByRounding > 0 ? $"{Show.Int(t.DecidedByRounding)} elements decided by rounding" : null,
            c.Truth is { } r && (r.Blamed is not null || r.DecidedByRounding > 0 || !c.Pass) ? r.Reason : null,
        }.Where(x => x is not null));
        string note = ReferenceEquals(c, FirstFailure) ? "first failure" + (detail.Length == 0 ? "" : ": " + detail) : detail;
        return
        [
            c.Stage, c.Name, PythonRepr.Tuple(c.Shape),
            d is null ? Show.None : Show.Sci(d.MaxAbs), d is null ? Show.None : Show.Sci(d.MaxRel), d is null ? Show.None : Show.Int(d.MaxUlp),
            d is null ? Show.None : $"{Show.Int(d.Mismatched)} / {Show.Int(d.Count)}",
            c.Tolerance.Name, c.Pass ? Verdicts.Pass : Verdicts.Fail, note,
        ];
    }
}
