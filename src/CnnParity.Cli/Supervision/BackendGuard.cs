using System.ComponentModel;
using System.Diagnostics;
using CnnParity.Cli.Native;
using CnnParity.Parity.Doctor;

namespace CnnParity.Cli.Supervision;

/// <summary>
/// Runs survive the backend they check (issue 20): in parity, report, bench and onnx-check, a native crash of LibTorch
/// becomes the run's FAIL section, its report is still written, and the exit is 1, never a death by a signal. Two layers:
/// <list type="number">
/// <item>a pre-flight probe: the doctor's worker, in a child process, runs LibTorch's side of every op, shape, dtype and
/// batch size the run will use (<see cref="BackendProbe"/>), without the truth. If it crashes, the run does not start:
/// its report names the op and the signal, with the doctor's hint, the setting under which LibTorch ran that op (each
/// <see cref="TorchSetting.IsaTrials"/> setting is tried on it);</item>
/// <item>the run itself in a supervised child process (this program again, with <see cref="SupervisedVariable"/> set),
/// as a last resort for whatever the probe did not cover: a child that dies on a signal other than SIGINT and SIGTERM
/// has its report written by the parent, naming the phase it was in. The child inherits stdin, stdout and stderr, and
/// leaves the terminal's process group, so that the parent alone hears Ctrl-C and forwards it once.</item>
/// </list>
/// Linux only; elsewhere the command runs in-process as before. The parent never loads LibTorch unless it writes a
/// crash report.
/// </summary>
internal static class BackendGuard
{
    /// <summary>Set in the supervised child: run the command itself.</summary>
    public const string SupervisedVariable = "CNNPARITY_SUPERVISED";

    /// <summary>The file the child writes its phase to, for the parent's report if it dies.</summary>
    public const string PhaseFileVariable = "CNNPARITY_PHASE_FILE";

    static bool IsChild => Environment.GetEnvironmentVariable(SupervisedVariable) == "1";

    /// <summary>Call first in Main: a supervised child leaves the terminal's process group and reports its phases.</summary>
    public static void EnterChild()
    {
        if (!IsChild || !OperatingSystem.IsLinux())
            return;
        ProcessGroup.LeaveTerminalGroup();
        string? phaseFile = Environment.GetEnvironmentVariable(PhaseFileVariable);
        Interruption.ActivityChanged += phase =>
        {
            if (phaseFile is not null)
            {
                try
                {
                    File.WriteAllText(phaseFile, phase);
                }
                catch (IOException)
                {
                    // the parent then names no phase; the run goes on
                }
            }
            FaultInjection.EnteringPhase(phase);
        };
    }

    public static int Run(BackendRun run)
    {
        if (IsChild || !OperatingSystem.IsLinux())
            return run.Work();
        var launch = SelfLaunch.Current();
        if (run.Probe.Count > 0 && Probe(run, launch) is { } crash)
            return Fail(run, crash);

        string phaseFile = Path.Combine(Path.GetTempPath(), $"cnnparity-phase-{Environment.ProcessId}");
        try
        {
            return Supervise(run, launch, phaseFile);
        }
        finally
        {
            File.Delete(phaseFile);
        }
    }

    // LibTorch's side of the run's ops, in a worker; the first crash, with the doctor's hint, or null.
    static BackendCrash? Probe(BackendRun run, WorkerLaunch launch)
    {
        Interruption.Activity = "the pre-flight probe of LibTorch";
        var supervisor = new DoctorSupervisor(launch) { Cancel = Interruption.Token, StderrLine = NativeStderr.PassOnOwnMessage };
        var setting = new TorchSetting(Environment.GetEnvironmentVariable(TorchSetting.IsaVariable), Torch.TorchRuntime.IntraOpThreads);
        var crashed = supervisor.Run(run.Probe, setting, probeOnly: true).FirstOrDefault(r => r.Outcome == CaseOutcome.Crashed);
        if (crashed is null)
            return null;
        Interruption.Activity = "trying LibTorch's settings on the op that crashed";
        var trials = TorchSetting.IsaTrials.Select(s => new IsaTrial(s, supervisor.Run([crashed.Case], s, probeOnly: true))).ToList();
        string hint = DoctorRun.Recommend(1, isa: true, trials) is { } found && trials.Any(t => t.AllRight)
            ? $"{found.Replace("recommended setting: ", "LibTorch runs it with ", StringComparison.Ordinal)}; `cnnparity doctor --arch \"{run.Arch}\" --isa` checks every op of this run."
            : $"No ISA cap or thread count tried lets LibTorch run it; `cnnparity doctor --arch \"{run.Arch}\"` checks every op of this run.";
        return new BackendCrash("the pre-flight probe", crashed.Case.Id, crashed.Signal ?? 0, hint);
    }

    static int Supervise(BackendRun run, WorkerLaunch launch, string phaseFile)
    {
        var start = new ProcessStartInfo(launch.FileName) { UseShellExecute = false };
        foreach (string a in launch.Prefix.Concat(Environment.GetCommandLineArgs().Skip(1))) start.ArgumentList.Add(a);
        start.Environment[SupervisedVariable] = "1";
        start.Environment[PhaseFileVariable] = phaseFile;
        // The child writes to the real stderr (a terminal keeps its progress bars); this process's LibTorch never loaded.
        NativeStderr.Release();
        Process child;
        try
        {
            child = Process.Start(start) ?? throw new Win32Exception("no process");
        }
        catch (Win32Exception)
        {
            return run.Work(); // no child to be had: run here, unsupervised, as before issue 20
        }
        using (child)
        {
            void Forward(int signal) => ProcessGroup.Send(child.Id, signal);
            Interruption.SignalReceived += Forward;
            try
            {
                child.WaitForExit();
            }
            finally
            {
                Interruption.SignalReceived -= Forward;
            }
            if (Signals.FromExitCode(child.ExitCode) is int signal && signal is not (2 or 15))
            {
                string phase = File.Exists(phaseFile) ? File.ReadAllText(phaseFile).Trim() : "";
                return Fail(run, new BackendCrash(phase.Length > 0 ? phase : "the run", null, signal,
                    $"`cnnparity doctor --arch \"{run.Arch}\" --isa` finds which op, and a setting under which LibTorch runs it."));
            }
            return child.ExitCode;
        }
    }

    static int Fail(BackendRun run, BackendCrash crash)
    {
        Interruption.Activity = "writing the report of the crash";
        TorchSharpNatives.EnsureLoadable(Console.Error); // the report states LibTorch's version and thread pin
        Console.Error.WriteLine($"cnnparity: {crash.Reason}");
        return run.Failure(crash);
    }
}
