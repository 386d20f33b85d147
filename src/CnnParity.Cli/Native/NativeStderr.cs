using System.Text;
using CnnParity.Torch.Native;

namespace CnnParity.Cli.Native;

/// <summary>
/// LibTorch's C++ code writes its warnings to file descriptor 2 itself (<c>[W… NNPACK.cpp:56] Could not initialize
/// NNPACK! Reason: Unsupported hardware.</c>, once per float64 convolution on some machines), where
/// <see cref="Console.SetError"/> cannot reach them. So, at the very start of the process (before TorchSharp loads):
/// <list type="bullet">
/// <item>the real stderr is kept as a new descriptor, and <see cref="Console.Error"/> writes there directly: CnnParity's
/// own lines never pass through anything else, so none is delayed, lost or reordered;</item>
/// <item>descriptor 2 becomes a pipe, drained at once by a reader thread (so a full pipe never blocks LibTorch): a line of
/// LibTorch's log that repeats (<see cref="LibTorchLogLine.Repeats"/>) is shown the first time and counted
/// (<see cref="LibTorchWarnings"/>, which reports record); anything else (LibTorch's errors, the runtime's own messages, a
/// child process's) is passed on as it comes;</item>
/// <item>at exit (<see cref="Release"/>: the end of Main, ProcessExit, an unhandled exception) descriptor 2 is given back,
/// the pipe drained to its end, and each warning shown more than once is summed up in one line:
/// <c>cnnparity: LibTorch warned 312 times: "Could not initialize NNPACK! ..." (shown once)</c>.</item>
/// </list>
/// Linux only (elsewhere nothing changes). A native crash ends the process before anything can run: what the reader had
/// not yet passed on (microseconds' worth) is lost, and the summary with it; the runs that can crash are supervised by a
/// parent process that reports the crash.
/// </summary>
internal static class NativeStderr
{
    /// <summary>The start of the summary line of a repeated warning (tests tell LibTorch's lines from CnnParity's by it).</summary>
    public const string SummaryPrefix = "cnnparity: LibTorch warned ";

    /// <summary>How long <see cref="Release"/> waits for the pipe's end (a child process may still hold it open).</summary>
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(3);

    private static readonly Lock Gate = new();
    private static int _realStderr = -1, _pipeRead = -1;
    private static Thread? _reader;
    private static bool _released;

    /// <summary>True for a line that LibTorch wrote (or that sums its repeats up), not CnnParity.</summary>
    public static bool IsLibTorchLine(string line) =>
        line.StartsWith(SummaryPrefix, StringComparison.Ordinal) || LibTorchLogLine.Parse(line) is not null;

    /// <summary>
    /// Passes on a child process's line that is CnnParity's own message ("cnnparity: ..."), not LibTorch's: what a worker
    /// says that its supervisor's user must see.
    /// </summary>
    public static void PassOnOwnMessage(string line)
    {
        if (line.StartsWith("cnnparity: ", StringComparison.Ordinal) && !IsLibTorchLine(line))
        {
            Console.Error.WriteLine(line);
        }
    }

    /// <summary>Call first in Main. Does nothing off Linux, or when any step fails (the output then stays as it was).</summary>
    public static void Capture()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }
        // Asked now, of the real stderr, and kept by Console: progress bars still know a terminal when they see one.
        _ = Console.IsErrorRedirected;
        int real = Libc.fcntl(2, Libc.FDupFdCloExec, 3);
        if (real < 0)
        {
            return;
        }
        int[] pipe = new int[2];
        if (Libc.pipe2(pipe, Libc.OCloExec) != 0)
        {
            Libc.close(real);
            return;
        }
        Console.Error.Flush();
        if (Libc.dup2(pipe[1], 2) < 0)
        {
            Libc.close(real);
            Libc.close(pipe[0]);
            Libc.close(pipe[1]);
            return;
        }
        Libc.close(pipe[1]); // descriptor 2 is now the pipe's only writer: giving it back ends the pipe
        (_realStderr, _pipeRead) = (real, pipe[0]);
        var writer = new StreamWriter(new FileDescriptorStream(real), new UTF8Encoding(false), 1024) { AutoFlush = true };
        Console.SetError(TextWriter.Synchronized(writer));
        _reader = new Thread(Drain) { IsBackground = true, Name = "LibTorch stderr" };
        _reader.Start();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => Release();
        // Before the runtime prints an unhandled exception (to descriptor 2, natively) and aborts: give it the real stderr.
        AppDomain.CurrentDomain.UnhandledException += (_, _) => Release();
        InjectNoiseForTests();
    }

    /// <summary>Gives descriptor 2 back, passes on what the pipe still holds, and sums up the repeated warnings. Idempotent.</summary>
    public static void Release()
    {
        lock (Gate)
        {
            if (_released || _reader is null)
            {
                return;
            }
            _released = true;
        }
        Libc.dup2(_realStderr, 2);
        _reader.Join(DrainLimit);
        foreach (var (line, count) in LibTorchWarnings.Seen.Where(w => w.Count > 1 && w.Line.Repeats))
        {
            Console.Error.WriteLine($"{SummaryPrefix}{count} times: \"{line.Message}\" (shown once)");
        }
        Console.Error.Flush();
    }

    // The reader: whole lines, as they come; a line cut off by the end of the pipe is passed on as it is.
    private static void Drain()
    {
        var buffer = new byte[16384];
        var pending = new List<byte>();
        while (true)
        {
            int n = Libc.ReadRetrying(_pipeRead, buffer);
            if (n <= 0)
            {
                break;
            }
            int start = 0;
            for (int i = 0; i < n; i++)
            {
                if (buffer[i] != (byte)'\n')
                {
                    continue;
                }
                pending.AddRange(buffer.AsSpan(start, i - start));
                Pass(Encoding.UTF8.GetString([.. pending]));
                pending.Clear();
                start = i + 1;
            }
            pending.AddRange(buffer.AsSpan(start, n - start));
        }
        if (pending.Count > 0)
        {
            Pass(Encoding.UTF8.GetString([.. pending]));
        }
        Libc.close(_pipeRead);
    }

    private static void Pass(string line)
    {
        if (LibTorchLogLine.Parse(line) is { Repeats: true } log && !LibTorchWarnings.Record(log))
        {
            return;
        }
        Console.Error.WriteLine(line);
    }

    /// <summary>
    /// Test-only (never set outside the tests): CNNPARITY_TEST_NATIVE_NOISE=N makes native code (libc's write) put
    /// LibTorch's NNPACK warning on descriptor 2 N times, as LibTorch does on a machine without NNPACK.
    /// </summary>
    private static void InjectNoiseForTests()
    {
        if (!int.TryParse(Environment.GetEnvironmentVariable(TestNoiseVariable), out int times) || times <= 0)
        {
            return;
        }
        byte[] line = Encoding.UTF8.GetBytes("[W1206 19:01:02.123456789 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.\n");
        for (int i = 0; i < times; i++)
        {
            Libc.WriteAll(2, line);
        }
    }

    /// <summary>The test-only variable of <see cref="InjectNoiseForTests"/>.</summary>
    public const string TestNoiseVariable = "CNNPARITY_TEST_NATIVE_NOISE";

    /// <summary>Writes to a descriptor with libc (a FileStream would throw on a closed pipe; Console ignores that, as this does).</summary>
    private sealed class FileDescriptorStream(int fd) : Stream
    {
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override void Write(byte[] buffer, int offset, int count) => Libc.WriteAll(fd, buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer) => Libc.WriteAll(fd, buffer);

        public override void Flush()
        {
        }

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
