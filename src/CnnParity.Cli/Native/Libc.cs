using System.Runtime.InteropServices;

namespace CnnParity.Cli.Native;

/// <summary>The few libc calls that move file descriptors around (<see cref="NativeStderr"/>); Linux values.</summary>
internal static class Libc
{
    public const int FDupFdCloExec = 1030, OCloExec = 0x80000;
    private const int Eintr = 4;

    [DllImport("libc", SetLastError = true)]
    public static extern int fcntl(int fd, int command, int argument);

    [DllImport("libc", SetLastError = true)]
    public static extern int pipe2(int[] fds, int flags);

    [DllImport("libc", SetLastError = true)]
    public static extern int dup2(int from, int to);

    [DllImport("libc", SetLastError = true)]
    public static extern int close(int fd);

    [DllImport("libc", SetLastError = true)]
    private static extern nint read(int fd, byte[] buffer, nint count);

    [DllImport("libc", SetLastError = true)]
    private static extern nint write(int fd, ref byte buffer, nint count);

    /// <summary>read(2), again when a signal interrupts it; 0 at the end, -1 on an error.</summary>
    public static int ReadRetrying(int fd, byte[] buffer)
    {
        while (true)
        {
            nint n = read(fd, buffer, buffer.Length);
            if (n >= 0 || Marshal.GetLastPInvokeError() != Eintr)
            {
                return (int)n;
            }
        }
    }

    /// <summary>Writes every byte, again after a signal; gives up quietly on any other error (a closed pipe, as Console does).</summary>
    public static void WriteAll(int fd, ReadOnlySpan<byte> bytes)
    {
        while (bytes.Length > 0)
        {
            nint n = write(fd, ref MemoryMarshal.GetReference(bytes), bytes.Length);
            if (n < 0 && Marshal.GetLastPInvokeError() == Eintr)
            {
                continue;
            }
            if (n <= 0)
            {
                return;
            }
            bytes = bytes[(int)n..];
        }
    }
}
