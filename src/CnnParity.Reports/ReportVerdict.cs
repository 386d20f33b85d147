namespace CnnParity.Reports;

/// <summary>PASS or FAIL and the reasons, one line each. PASS has no reasons.</summary>
public sealed record ReportVerdict(string Verdict, IReadOnlyList<string> Reasons)
{
    public const string Pass = "PASS";
    public const string Fail = "FAIL";

    public bool Passed => Verdict == Pass;
}
