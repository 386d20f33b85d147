namespace CnnParity.Parity.Doctor;

/// <summary>
/// LibTorch killed the TorchSharp side of a run (a native crash: SIGFPE, SIGSEGV, SIGABRT): what a run's report says
/// in place of the results it could not get, as a FAIL. Found by the pre-flight probe (which names the op) or by the
/// supervising process (which names the phase the run was in).
/// </summary>
/// <param name="Phase">"pre-flight probe", or the run's phase when it died ("lockstep (scratch + TorchSharp corrected)")</param>
/// <param name="Op">the case that crashed, when the probe found it (<c>conv2d f32 weight-grad 128x512x8x8 conv(c=1024,k=1,s=2)</c>)</param>
/// <param name="Hint">the doctor's advice: the setting under which LibTorch ran it, or the command that looks for one</param>
public sealed record BackendCrash(string Phase, string? Op, int Signal, string Hint)
{
    /// <summary>"SIGFPE (8)".</summary>
    public string SignalName => $"{Signals.Name(Signal)} ({Signal})";

    /// <summary>The report's reason line.</summary>
    public string Reason => $"LibTorch crashed with {SignalName} during {Phase}{(Op is null ? "" : $", in {Op}")}; the TorchSharp side has no results. {Hint}";
}
