using CnnParity.Core.Data;
using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// A fresh start: no --data, no $CNNPARITY_DATA, no shared folder, an empty per-user cache. Each command that needs the
/// data fetches it into the cache (from a loopback server serving the real MNIST files, named by $CNNPARITY_MIRRORS),
/// then runs; the next run finds it there. Offline it is exit 2 and one error line naming `cnnparity data fetch` and
/// --data, with nothing half written. The cache is a temporary $XDG_CACHE_HOME: the real cache and the internet are
/// never touched.
/// </summary>
public sealed class FirstRunTests : IAsyncDisposable
{
    readonly TempFolder work = new();
    readonly LoopbackServer server = new();

    public async ValueTask DisposeAsync()
    {
        await server.DisposeAsync();
        work.Dispose();
    }

    string Cache => Path.Combine(work.Path, "cache", "cnnparity", DatasetCatalog.Mnist.Name);

    Dictionary<string, string?> FreshMachine(Uri mirror) => new()
    {
        ["XDG_CACHE_HOME"] = Path.Combine(work.Path, "cache"),
        ["HOME"] = Path.Combine(work.Path, "home"),
        [MirrorList.EnvironmentVariable] = mirror.ToString(),
        [DataLocator.NoSharedDataVariable] = "1",
        [DataLocator.EnvironmentVariable] = null,
    };

    /// <summary>Serves the four real MNIST files (their SHA-256s are the catalog's) under /mnist/.</summary>
    Uri ServeMnist()
    {
        string real = RealMnist.Require();
        foreach (var file in DatasetCatalog.Mnist.Files)
            server.Serve($"/mnist/{file.FileName}", CannedResponse.Ok(File.ReadAllBytes(Path.Combine(real, file.FileName))));
        return server.Mirror("mnist");
    }

    public static TheoryData<string> Commands => ["report", "train", "parity", "bench"];

    string[] Tiny(string command) => command switch
    {
        "report" => ["report", "--quick", "--train", "256", "--batch", "128", "--epochs", "1", "--test", "200", "--bench-reps", "0",
                     "--out", Path.Combine(work.Path, "reports")],
        "train" => ["train", "--train", "256", "--batch", "128", "--epochs", "1", "--test", "100"],
        "parity" => ["parity", "--train", "256", "--batch", "128", "--epochs", "1", "--test", "100", "--json", Path.Combine(work.Path, "p.json")],
        _ => ["bench", "--kernels", "4", "--test", "100", "--reps", "1", "--no-numpy"],
    };

    [SkippableTheory]
    [MemberData(nameof(Commands))]
    public void AFreshStartFetchesTheDataThenRuns(string command)
    {
        var environment = FreshMachine(ServeMnist());

        var first = CliProcess.Run(work.Path, environment, Tiny(command));

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains(first.ErrorLines, l => l.StartsWith("no mnist data found", StringComparison.Ordinal) && l.Contains(Cache, StringComparison.Ordinal));
        Assert.Equal(DatasetCatalog.Mnist.Files.Select(f => $"/mnist/{f.FileName}"), server.Requests);
        Assert.All(DatasetVerifier.Check(DatasetCatalog.Mnist, Cache), c => Assert.NotNull(c.Match));
        Assert.Equal(DatasetCatalog.Mnist.Files.Count, Directory.GetFiles(Cache).Length); // no partial file left beside them

        // The next run finds the data in the cache and downloads nothing.
        var second = CliProcess.Run(work.Path, environment, Tiny(command));
        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.DoesNotContain(second.ErrorLines, l => l.StartsWith("no mnist data found", StringComparison.Ordinal));
        Assert.Equal(DatasetCatalog.Mnist.Files.Count, server.Requests.Count);
    }

    [SkippableFact]
    public void TheReportWrittenAfterTheFetchIsWhole()
    {
        var result = CliProcess.Run(work.Path, FreshMachine(ServeMnist()), Tiny("report"));
        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.StartsWith("# PASS", File.ReadAllText(Path.Combine(work.Path, "reports", "parity-report.md")));
        Assert.Contains(result.ErrorLines, l => l.EndsWith("downloaded 9912422 bytes, SHA-256 OK", StringComparison.Ordinal));
    }

    [Fact]
    public void OfflineIsOneErrorLineNamingDataFetchAndDataAndNothingIsLeft()
    {
        var result = CliProcess.Run(work.Path, FreshMachine(LoopbackServer.DeadMirror()), Tiny("train"));

        Assert.Equal(2, result.ExitCode);
        var errors = result.ErrorLines.Where(l => l.StartsWith("cnnparity: ", StringComparison.Ordinal)).ToList();
        string line = Assert.Single(errors);
        Assert.Equal(line, result.ErrorLines[^1]);
        Assert.Contains("`cnnparity data fetch --dataset mnist`", line);
        Assert.Contains("--data DIR", line);
        CliAssert.NoStackTrace(result);
        Assert.Empty(result.StdOut);
        Assert.Empty(Directory.Exists(Cache) ? Directory.GetFiles(Cache) : []);
    }

    [Fact]
    public void ABadMirrorVariableIsOneLine()
    {
        var environment = FreshMachine(server.Mirror("mnist"));
        environment[MirrorList.EnvironmentVariable] = "ftp://example.org/mnist";

        var result = CliProcess.Run(work.Path, environment, Tiny("train"));

        CliAssert.OneLineError(result, 2, "$CNNPARITY_MIRRORS 'ftp://example.org/mnist' is not an absolute http or https URL");
    }
}
