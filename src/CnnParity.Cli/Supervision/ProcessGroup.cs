using System.Runtime.InteropServices;

namespace CnnParity.Cli.Supervision;

/// <summary>The libc calls of supervision: a process group of one's own, and signals to a child.</summary>
internal static class ProcessGroup
{
    /// <summary>Leaves the terminal's process group: Ctrl-C then reaches the supervising parent alone, which forwards it once.</summary>
    public static void LeaveTerminalGroup() => _ = setpgid(0, 0);

    public static void Send(int pid, int signal) => _ = kill(pid, signal);

    [DllImport("libc", SetLastError = true)]
    private static extern int setpgid(int pid, int group);

    [DllImport("libc", SetLastError = true)]
    private static extern int kill(int pid, int signal);
}
