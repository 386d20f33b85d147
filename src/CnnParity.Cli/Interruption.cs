using System.Runtime.InteropServices;
using CnnParity.Reports.Pipeline;

namespace CnnParity.Cli;

/// <summary>
/// SIGINT and SIGTERM stop a run cleanly instead of killing it mid-write: the first signal cancels
/// <see cref="Token"/>, long work checks it between epochs and phases and unwinds with an
/// <see cref="OperationCanceledException"/>, and <see cref="Program"/> prints one line saying what was
/// interrupted and exits 128 + the signal number (130 for SIGINT, 143 for SIGTERM). Every file is written to a
/// temporary file and renamed, so whatever was there before is left as it was. A second signal gets the
/// runtime's default action: the process ends at once.
/// </summary>
public static class Interruption
{
    static readonly CancellationTokenSource Source = new();
    static int _signal; // 0 until the first SIGINT (2) or SIGTERM (15)

    /// <summary>Cancelled by the first SIGINT or SIGTERM.</summary>
    public static CancellationToken Token => Source.Token;

    public static bool Requested => Volatile.Read(ref _signal) != 0;

    /// <summary>What the command is doing, for the message: "lockstep (scratch + TorchSharp corrected)".</summary>
    public static string Activity
    {
        get => _activity;
        set
        {
            _activity = value;
            ActivityChanged?.Invoke(value);
        }
    }

    static string _activity = "startup";

    /// <summary>Each new <see cref="Activity"/> (a supervised run reports its phase to its parent through this).</summary>
    public static event Action<string>? ActivityChanged;

    /// <summary>Every SIGINT (2) and SIGTERM (15), the first and the second (a supervising parent forwards them to its child).</summary>
    public static event Action<int>? SignalReceived;

    /// <summary>What an interruption leaves behind, for the message: "previous report in reports/ left intact".</summary>
    public static string Outcome { get; set; } = "nothing was written";

    /// <summary>128 + the signal number, as a shell reports a process ended by that signal.</summary>
    public static int ExitCode => 128 + Volatile.Read(ref _signal);

    public static string Message =>
        $"interrupted by {(Volatile.Read(ref _signal) == 15 ? "SIGTERM" : "SIGINT")} during {Activity}; {Outcome}";

    /// <summary>Handles SIGINT and SIGTERM until disposed.</summary>
    public static IDisposable Listen() => new Registrations(
        PosixSignalRegistration.Create(PosixSignal.SIGINT, context => OnSignal(context, 2)),
        PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => OnSignal(context, 15)));

    public static void ThrowIfRequested() => Token.ThrowIfCancellationRequested();

    /// <summary>Progress that names the current phase as <see cref="Activity"/> and stops at the next step once interrupted.</summary>
    public static IPhaseProgress Track(IPhaseProgress progress) => new TrackedProgress(progress);

    /// <summary>"previous X in Y left intact" when <paramref name="path"/> exists, else "nothing written to Y".</summary>
    public static string LeftIntact(string what, string path, string where) =>
        File.Exists(path) ? $"previous {what} in {where} left intact" : $"nothing written to {where}";

    static void OnSignal(PosixSignalContext context, int number)
    {
        SignalReceived?.Invoke(number);
        if (Interlocked.CompareExchange(ref _signal, number, 0) != 0)
            return; // the second signal: let the runtime end the process
        context.Cancel = true;
        Source.Cancel();
    }

    sealed class TrackedProgress(IPhaseProgress inner) : IPhaseProgress
    {
        public T Phase<T>(string title, int total, Func<Action<string?>, T> work)
        {
            Activity = title;
            ThrowIfRequested();
            T result = inner.Phase(title, total, step => work(detail =>
            {
                step(detail);
                ThrowIfRequested();
            }));
            Activity = $"the step after {title}";
            ThrowIfRequested();
            return result;
        }
    }

    sealed class Registrations(params IDisposable[] registrations) : IDisposable
    {
        public void Dispose()
        {
            foreach (var registration in registrations) registration.Dispose();
        }
    }
}
