using System.Net;
using System.Net.Sockets;
using System.Text;
using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// SIGINT or SIGTERM in the middle of a run: the process stops at the next epoch or phase, prints one line
/// saying what it interrupted, exits 130 (SIGINT) or 143 (SIGTERM), and leaves the previous files byte for byte
/// as they were, with no temporary or partial file beside them.
/// </summary>
public sealed class InterruptionTests : IDisposable
{
    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public void SigIntDuringReportLockstepKeepsThePreviousReport()
    {
        Skip.IfNot(Signals.Supported, "POSIX signals");
        var previous = new PreviousReport(Path.Combine(work.Path, "reports"));
        // Enough epochs that the lockstep phase is still running when the signal lands.
        using var cli = CliProcess.Start(work.Path, RealMnist.TinyReport(previous.Folder, epochs: 100, test: 100), forSigInt: true);
        cli.WaitForLine(l => l.StartsWith("lockstep", StringComparison.Ordinal));
        cli.Signal(Signals.SigInt);
        var result = cli.WaitForExit();

        AssertInterrupted(result, 130,
            $"cnnparity: interrupted by SIGINT during lockstep; previous report in {previous.Folder} left intact");
        Assert.Empty(result.StdOut); // no verdict: nothing was concluded
        previous.AssertUntouched(result);
    }

    [SkippableFact]
    public void SigTermDuringTrainKeepsThePreviousMetrics()
    {
        Skip.IfNot(Signals.Supported, "POSIX signals");
        string folder = Directory.CreateDirectory(Path.Combine(work.Path, "metrics")).FullName;
        string metrics = Path.Combine(folder, "twin.json");
        byte[] old = Encoding.UTF8.GetBytes($"{{\"previous\": \"{Guid.NewGuid():N}\"}}\n");
        File.WriteAllBytes(metrics, old);

        using var cli = CliProcess.Start(work.Path, ["train", "--data", RealMnist.Require(), "--impl", "twin", "--metrics-out", metrics,
            "--train", "256", "--batch", "128", "--epochs", "1000", "--test", "100"]);
        cli.WaitForLine(l => l.StartsWith("I: 1 |", StringComparison.Ordinal), onStdErr: false);
        cli.Signal(Signals.SigTerm);
        var result = cli.WaitForExit();

        AssertInterrupted(result, 143, "cnnparity: interrupted by SIGTERM during training twin, epoch ", $"; {metrics} left as it was");
        Assert.Equal(old, File.ReadAllBytes(metrics));
        PreviousReport.AssertNothingElse(folder, ["twin.json"], result);
    }

    [SkippableFact]
    public void SigIntDuringDataFetchLeavesNoPartialFile()
    {
        Skip.IfNot(Signals.Supported, "POSIX signals");
        string folder = Directory.CreateDirectory(Path.Combine(work.Path, "mnist")).FullName;
        string stale = Path.Combine(folder, "train-images-idx3-ubyte.gz");
        byte[] old = Encoding.UTF8.GetBytes("a stale copy whose SHA-256 matches nothing\n");
        File.WriteAllBytes(stale, old);
        using var server = new StallingServer();

        using var cli = CliProcess.Start(work.Path, ["data", "fetch", "--data", folder, "--mirror", server.Mirror], forSigInt: true);
        server.WaitUntilSending();
        WaitFor(() => Directory.GetFiles(folder, "*.partial-*").Length > 0, "a partial download", cli);
        cli.Signal(Signals.SigInt);
        var result = cli.WaitForExit();

        AssertInterrupted(result, 130,
            $"cnnparity: interrupted by SIGINT during data fetch: downloading train-images-idx3-ubyte.gz; files already in {folder} left intact, no partial file kept");
        Assert.Equal(old, File.ReadAllBytes(stale));
        PreviousReport.AssertNothingElse(folder, ["train-images-idx3-ubyte.gz"], result);
    }

    /// <summary>Exit code, and the last stderr line is the only "cnnparity:" line (progress lines may precede it).</summary>
    static void AssertInterrupted(CliResult result, int exitCode, params string[] phrases)
    {
        Assert.True(result.ExitCode == exitCode, $"expected exit {exitCode}\n{result}");
        CliAssert.NoStackTrace(result);
        var ours = result.ErrorLines.Where(l => l.StartsWith("cnnparity:", StringComparison.Ordinal)).ToList();
        Assert.True(ours.Count == 1 && ours[0] == result.ErrorLines[^1], $"expected one closing cnnparity: line\n{result}");
        foreach (string phrase in phrases)
            Assert.True(ours[0].StartsWith(phrase, StringComparison.Ordinal) || ours[0].Contains(phrase, StringComparison.Ordinal),
                $"'{phrase}' missing from: {ours[0]}");
    }

    /// <summary>Polls a condition the CLI does not announce; fails if the CLI ends first.</summary>
    static void WaitFor(Func<bool> condition, string what, CliProcess cli)
    {
        var guard = DateTime.UtcNow + TimeSpan.FromMinutes(5); // a hang guard only
        while (!condition())
        {
            if (DateTime.UtcNow > guard) Assert.Fail($"never saw {what}\n{cli.WaitForExit()}");
            Thread.Sleep(20);
        }
    }

    /// <summary>
    /// An HTTP mirror on 127.0.0.1 that announces a 10 MB body, sends 64 KB of it and then holds the connection
    /// open until disposed: a download that is in progress for as long as the test needs.
    /// </summary>
    sealed class StallingServer : IDisposable
    {
        readonly TcpListener listener = new(IPAddress.Loopback, 0);
        readonly CancellationTokenSource stop = new();
        readonly TaskCompletionSource sending = new(TaskCreationOptions.RunContinuationsAsynchronously);
        readonly Task loop;

        public StallingServer()
        {
            listener.Start();
            loop = Task.Run(ServeAsync);
        }

        public string Mirror => $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}/mnist/";

        public void WaitUntilSending()
        {
            if (!sending.Task.Wait(TimeSpan.FromMinutes(5))) // a hang guard only
                Assert.Fail("the CLI never asked the mirror for a file");
        }

        async Task ServeAsync()
        {
            var open = new List<TcpClient>();
            try
            {
                while (true)
                {
                    var client = await listener.AcceptTcpClientAsync(stop.Token);
                    open.Add(client);
                    var stream = client.GetStream();
                    var buffer = new byte[4096];
                    var head = new StringBuilder();
                    while (!head.ToString().Contains("\r\n\r\n"))
                    {
                        int got = await stream.ReadAsync(buffer, stop.Token);
                        if (got == 0) break;
                        head.Append(Encoding.ASCII.GetString(buffer, 0, got));
                    }
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 10000000\r\nConnection: close\r\n\r\n"), stop.Token);
                    await stream.WriteAsync(new byte[64 * 1024], stop.Token);
                    await stream.FlushAsync(stop.Token);
                    sending.TrySetResult();
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
                // stopped, or the client went away
            }
            finally
            {
                foreach (var client in open) client.Dispose();
            }
        }

        public void Dispose()
        {
            stop.Cancel();
            listener.Stop();
            try { loop.Wait(TimeSpan.FromSeconds(30)); }
            catch (AggregateException) { /* the loop ends by cancellation */ }
            stop.Dispose();
        }
    }
}
