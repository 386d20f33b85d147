using CnnParity.Testing.Rendering;

namespace CnnParity.Reports;

/// <summary>PASS or FAIL and the reasons, one line each. PASS has no reasons.</summary>
public sealed record ReportVerdict(string Verdict, IReadOnlyList<string> Reasons)
{
    public const string Pass = Verdicts.Pass;
    public const string Fail = Verdicts.Fail;

    public bool Passed => Verdict == Pass;
}
