using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using CnnParity.Cli.Native;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>What one run of the CLI did.</summary>
internal sealed record CliResult(int ExitCode, string StdOut, string StdErr)
{
    /// <summary>
    /// CnnParity's own lines on stderr: LibTorch's native warnings (shown once each on a machine that prints them, such as
    /// NNPACK's on a CPU it does not support) and their summary lines are left out, so no test counts another library's lines.
    /// </summary>
    public string[] ErrorLines => [.. Lines(StdErr).Where(l => !NativeStderr.IsLibTorchLine(l))];

    /// <summary>Every line on stderr, LibTorch's included.</summary>
    public string[] AllErrorLines => Lines(StdErr);
    public string[] OutputLines => Lines(StdOut);

    static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();

    public override string ToString() => $"exit {ExitCode}\n--- stdout\n{StdOut}--- stderr\n{StdErr}---";
}

/// <summary>
/// The built cnnparity.dll run as a child process, as a user runs it: `dotnet cnnparity.dll ...` with stdout and
/// stderr redirected (so progress is plain lines), in a working directory of the test's choosing.
/// </summary>
internal sealed class CliProcess : IDisposable
{
    /// <summary>Only a guard against a hung child (it is killed and the test fails); nothing is timed.</summary>
    static readonly TimeSpan Hung = TimeSpan.FromMinutes(10);

    readonly Process process;
    readonly StringBuilder stdout = new(), stderr = new();
    readonly object gate = new();
    readonly List<(Func<string, bool> Match, bool OnStdErr, TaskCompletionSource Seen)> waiters = [];

    /// <summary>
    /// cnnparity.dll beside the test assembly (the project reference builds and copies it, with its deps and
    /// runtimeconfig), else the CLI project's own output for the same configuration and framework.
    /// </summary>
    public static string Dll { get; } = FindDll();

    CliProcess(string workingDirectory, IReadOnlyList<string> args, bool resetSigInt, string? dll = null,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo
        {
            FileName = resetSigInt ? "/usr/bin/env" : DotNet(),
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (resetSigInt)
        {
            // A process started in the background inherits SIGINT ignored, and .NET keeps it so; env restores the default.
            start.ArgumentList.Add("--default-signal=INT");
            start.ArgumentList.Add(DotNet());
        }
        start.ArgumentList.Add(dll ?? Dll);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // A CI step summary must not collect the reports these tests write.
        start.Environment.Remove("GITHUB_STEP_SUMMARY");
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null) start.Environment.Remove(name);
            else start.Environment[name] = value;
        }

        process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Received(e.Data, stdout, onStdErr: false);
        process.ErrorDataReceived += (_, e) => Received(e.Data, stderr, onStdErr: true);
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Runs the CLI to the end.</summary>
    public static CliResult Run(string workingDirectory, params string[] args)
    {
        using var cli = new CliProcess(workingDirectory, args, resetSigInt: false);
        return cli.WaitForExit();
    }

    /// <summary>Runs the CLI to the end with environment variables set (a null value removes the variable).</summary>
    public static CliResult Run(string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var cli = new CliProcess(workingDirectory, args, resetSigInt: false, environment: environment);
        return cli.WaitForExit();
    }

    /// <summary>Runs another copy of the CLI (<paramref name="dll"/>) to the end, with extra environment variables.</summary>
    public static CliResult RunCopy(string dll, string workingDirectory, IReadOnlyDictionary<string, string?> environment, params string[] args)
    {
        using var cli = new CliProcess(workingDirectory, args, resetSigInt: false, dll, environment);
        return cli.WaitForExit();
    }

    /// <summary>Starts the CLI; <paramref name="forSigInt"/> makes sure SIGINT is not inherited as ignored.</summary>
    public static CliProcess Start(string workingDirectory, IReadOnlyList<string> args, bool forSigInt = false) =>
        new(workingDirectory, args, forSigInt && Signals.SigIntIgnoredHere);

    /// <summary>Waits until a line on stderr (or stdout) matches; fails if the process ends first.</summary>
    public void WaitForLine(Func<string, bool> match, bool onStdErr = true)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (gate)
        {
            string text = (onStdErr ? stderr : stdout).ToString();
            if (text.Split('\n').Any(match)) return;
            waiters.Add((match, onStdErr, seen));
        }
        var exited = process.WaitForExitAsync();
        var first = Task.WhenAny(seen.Task, exited, Task.Delay(Hung)).GetAwaiter().GetResult();
        if (first != seen.Task)
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            Assert.Fail($"the line awaited never came\n{Snapshot()}");
        }
    }

    public void Signal(int signal) => Signals.Send(process.Id, signal);

    public CliResult WaitForExit()
    {
        if (!process.WaitForExit(Hung))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"cnnparity hung: {string.Join(' ', process.StartInfo.ArgumentList)}\n{Snapshot()}");
        }
        process.WaitForExit(); // drains the redirected streams
        return Snapshot();
    }

    CliResult Snapshot()
    {
        lock (gate) return new CliResult(process.HasExited ? process.ExitCode : -1, stdout.ToString(), stderr.ToString());
    }

    void Received(string? line, StringBuilder into, bool onStdErr)
    {
        if (line is null) return;
        lock (gate)
        {
            into.Append(line).Append('\n');
            foreach (var waiter in waiters.Where(w => w.OnStdErr == onStdErr && w.Match(line)).ToList())
            {
                waiters.Remove(waiter);
                waiter.Seen.TrySetResult();
            }
        }
    }

    public void Dispose()
    {
        try
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
        process.Dispose();
    }

    /// <summary>The dotnet host running these tests (set by the dotnet CLI for its children), else dotnet on PATH.</summary>
    static string DotNet()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        if (Environment.ProcessPath is { } self && Path.GetFileNameWithoutExtension(self) == "dotnet")
            return self;
        return "dotnet";
    }

    static string FindDll()
    {
        string here = AppContext.BaseDirectory;
        string beside = Path.Combine(here, "cnnparity.dll");
        if (File.Exists(beside) && File.Exists(Path.Combine(here, "cnnparity.runtimeconfig.json")))
            return beside;
        string framework = new DirectoryInfo(here).Name; // bin/<Configuration>/<framework>/
        string configuration = new DirectoryInfo(here).Parent?.Name ?? "Debug";
        for (var dir = new DirectoryInfo(here); dir is not null; dir = dir.Parent)
        {
            string candidate = Path.Combine(dir.FullName, "src", "CnnParity.Cli", "bin", configuration, framework, "cnnparity.dll");
            if (File.Exists(candidate))
                return candidate;
        }
        throw new FileNotFoundException($"cnnparity.dll is neither in {here} nor in src/CnnParity.Cli/bin/{configuration}/{framework} above it");
    }
}

/// <summary>POSIX signals sent the way a terminal or a supervisor sends them (Process.Kill would send SIGKILL).</summary>
internal static class Signals
{
    public const int SigInt = 2, SigTerm = 15;

    public static bool Supported => OperatingSystem.IsLinux();

    /// <summary>True when this process ignores SIGINT (started in the background), which its children inherit.</summary>
    public static bool SigIntIgnoredHere
    {
        get
        {
            const string status = "/proc/self/status";
            if (!File.Exists(status)) return false;
            string? line = File.ReadLines(status).FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
            return line is not null && (Convert.ToUInt64(line["SigIgn:".Length..].Trim(), 16) & (1UL << (SigInt - 1))) != 0;
        }
    }

    public static void Send(int pid, int signal)
    {
        if (kill(pid, signal) != 0)
            throw new InvalidOperationException($"kill({pid}, {signal}) failed: errno {Marshal.GetLastPInvokeError()}");
    }

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int sig);
}
