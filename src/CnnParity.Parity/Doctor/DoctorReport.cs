namespace CnnParity.Parity.Doctor;

/// <summary>The failing cases run again under one <see cref="TorchSetting"/> (<c>doctor --isa</c>).</summary>
public sealed record IsaTrial(TorchSetting Setting, IReadOnlyList<CaseResult> Results)
{
    /// <summary>Every case right (for a probe's trials: every case ran).</summary>
    public bool AllRight => Results.All(r => r.IsGood);
}

/// <summary>Everything the doctor says; the writers only format it.</summary>
/// <param name="Verdict">PASS: LibTorch right in every case; FAIL: wrong or crashed in one</param>
/// <param name="Problems">one line per case that is not right</param>
/// <param name="Recommendation">what to set, one line (null when nothing needs setting)</param>
/// <param name="Sweep">"quick", "full" or "arch SPEC"</param>
/// <param name="Setting">what the sweep ran under</param>
/// <param name="IsaRequested">whether --isa was given (the trials are empty when it was not, or when nothing failed)</param>
/// <param name="LibTorchWarnings">LibTorch's distinct warnings in the workers, with their counts</param>
public sealed record DoctorReport(
    string Verdict, IReadOnlyList<string> Problems, string? Recommendation, DoctorMachine Machine, string Sweep, TorchSetting Setting,
    IReadOnlyList<CaseResult> Results, bool IsaRequested, IReadOnlyList<IsaTrial> Isa, IReadOnlyList<string> LibTorchWarnings, double Seconds)
{
    /// <summary>1: the first doctor report.</summary>
    public const int SchemaVersion = 1;

    public bool Passed => Verdict == "PASS";
}
