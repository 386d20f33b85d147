using CnnParity.Testing.Rendering;

namespace CnnParity.Reports;

/// <summary>
/// What <see cref="Judge"/> decided: the verdict (PASS or FAIL, the word every report and <see cref="Model.ParityReport.Verdict"/>
/// carry) and the reasons, one line each. PASS has no reasons.
/// </summary>
public sealed record Judgement(string Verdict, IReadOnlyList<string> Reasons)
{
    public const string Pass = Verdicts.Pass;
    public const string Fail = Verdicts.Fail;

    public bool Passed => Verdict == Pass;
}
