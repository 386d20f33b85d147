namespace CnnParity.Parity.Doctor;

/// <summary>How a case ended.</summary>
public enum CaseOutcome
{
    /// <summary>Every checked element within its bound.</summary>
    Right,

    /// <summary>An element beyond its bound (or not finite).</summary>
    Wrong,

    /// <summary>The process running it died on a signal (SIGFPE, SIGSEGV, SIGABRT...).</summary>
    Crashed,

    /// <summary>LibTorch (or the worker) raised an error, or the worker ended without a signal.</summary>
    Failed,

    /// <summary>No answer within the time limit: the worker was killed.</summary>
    Hung,

    /// <summary>A pre-flight probe ran LibTorch's side alone, without a truth: it ran, and gave finite numbers.</summary>
    Ran,
}

/// <summary>The element that came closest to (or went furthest past) its bound.</summary>
/// <param name="Tensor">"output", "input.grad", "weight.grad", ...</param>
/// <param name="Index">its flat index (C order)</param>
/// <param name="Ratio">|torch − truth| / bound: at most 1 is right (infinite when a value is not finite, or an exact op differs)</param>
public sealed record WorstElement(string Tensor, long Index, double Torch, double Truth, double Bound, double Ratio);

/// <summary>One case's result.</summary>
/// <param name="Elements">elements compared</param>
/// <param name="Seconds">wall time of LibTorch's side (0 when it did not finish)</param>
/// <param name="Signal">the signal that ended the worker, for <see cref="CaseOutcome.Crashed"/></param>
/// <param name="Detail">the error or the worker's last words, when it failed, hung or crashed</param>
public sealed record CaseResult(DoctorCase Case, CaseOutcome Outcome, WorstElement? Worst = null, long Elements = 0, double Seconds = 0,
    int? Signal = null, string? Detail = null)
{
    /// <summary>Right, or ran (a probe has nothing to be wrong against).</summary>
    public bool IsGood => Outcome is CaseOutcome.Right or CaseOutcome.Ran;

    /// <summary>"SIGFPE (8)" for a crash.</summary>
    public string? SignalName => Signal is int s ? $"{Signals.Name(s)} ({s})" : null;
}

/// <summary>Names of the signals a native crash ends a process with.</summary>
public static class Signals
{
    /// <summary>"SIGFPE", "SIGSEGV", ... or "signal N".</summary>
    public static string Name(int signal) => signal switch
    {
        4 => "SIGILL",
        6 => "SIGABRT",
        7 => "SIGBUS",
        8 => "SIGFPE",
        9 => "SIGKILL",
        11 => "SIGSEGV",
        15 => "SIGTERM",
        _ => $"signal {signal}",
    };

    /// <summary>
    /// The signal that ended a child process, from its exit code: .NET reports a child killed by signal N as 128 + N
    /// (as a shell does); null for an ordinary exit.
    /// </summary>
    public static int? FromExitCode(int exitCode) => exitCode is > 128 and < 128 + 65 ? exitCode - 128 : null;
}
