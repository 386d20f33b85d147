using System.Security.Cryptography;
using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>
/// Downloads from a loopback server: the right bytes land under the right name, every bad mirror is
/// skipped for the next, and no failure leaves a target or a .partial-* file behind.
/// </summary>
public sealed class MnistDownloaderTests : IAsyncLifetime, IDisposable
{
    private readonly LoopbackServer _server = new();
    private readonly TempFolder _folder = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private readonly Dictionary<string, byte[]> _content;
    private readonly DatasetInfo _dataset;

    public MnistDownloaderTests()
    {
        // Four small synthetic files under the real names, with their own digests in a test catalog entry.
        _content = DatasetCatalog.Mnist.Files.ToDictionary(f => f.FileName, f => IdxFiles.Gzip(
            f.Content == IdxContent.Images ? IdxFiles.Images(5, 28, 28) : IdxFiles.Labels(IdxFiles.DigitLabels(5 + f.FileName.Length))));
        _dataset = DatasetCatalog.Mnist with
        {
            Name = "tiny",
            Files = DatasetCatalog.Mnist.Files
                .Select(f => f with { Digests = [new KnownDigest(Sha(_content[f.FileName]), "test")] })
                .ToList(),
        };
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _server.DisposeAsync();

    public void Dispose()
    {
        _http.Dispose();
        _folder.Dispose();
    }

    private const string Labels = "t10k-labels-idx1-ubyte.gz";

    private DatasetFile LabelsFile => _dataset.Files.Single(f => f.FileName == Labels);

    private MnistDownloader Downloader(params Uri[] mirrors) => new(_http, mirrors) { FileTimeout = TimeSpan.FromSeconds(20) };

    private void ServeAll(string mirror)
    {
        foreach (var (name, bytes) in _content)
            _server.Serve($"/{mirror}/{name}", CannedResponse.Ok(bytes));
    }

    [Fact]
    public async Task DownloadsEveryFileAndVerifiesIt()
    {
        ServeAll("good");
        var events = new List<DownloadEvent>();

        var fetched = await Downloader(_server.Mirror("good")).FetchAsync(_dataset, _folder.Path, events.Add);

        Assert.All(fetched, f => Assert.True(f.WasDownloaded));
        foreach (var (name, bytes) in _content)
            Assert.Equal(bytes, File.ReadAllBytes(Path.Combine(_folder.Path, name)));
        Assert.Equal(_content.Keys.Order(), _folder.Files().Order());
        Assert.Equal(4, events.Count(e => e.Stage == DownloadStage.Downloaded));
        Assert.Equal(5, IdxReader.ReadImages(Path.Combine(_folder.Path, "train-images-idx3-ubyte.gz")).Count);
    }

    [Fact]
    public async Task HashMismatchMovesOnToTheNextMirror()
    {
        byte[] corrupt = (byte[])_content[Labels].Clone();
        corrupt[^1] ^= 1;
        _server.Serve($"/bad/{Labels}", CannedResponse.Ok(corrupt));
        ServeAll("good");
        var events = new List<DownloadEvent>();

        var fetched = await Downloader(_server.Mirror("bad"), _server.Mirror("good"))
            .FetchFileAsync(LabelsFile, _folder.Path, [_server.Mirror("bad"), _server.Mirror("good")], events.Add);

        Assert.Equal(_server.Mirror("good"), new Uri(fetched.Source!, "."));
        Assert.Equal(_content[Labels], File.ReadAllBytes(fetched.Path));
        Assert.Contains(events, e => e.Stage == DownloadStage.MirrorFailed && e.Reason!.StartsWith("SHA-256 mismatch: got "));
        Assert.Equal([Labels], _folder.Files());
    }

    [Fact]
    public async Task NotFoundTruncatedAndRefusedMirrorsAreSkipped()
    {
        _server.Serve($"/short/{Labels}", CannedResponse.Truncated(_content[Labels], keep: _content[Labels].Length / 2));
        ServeAll("good");
        Uri[] mirrors = [_server.Mirror("missing"), LoopbackServer.DeadMirror(), _server.Mirror("short"), _server.Mirror("good")];
        var reasons = new List<string>();

        var fetched = await Downloader(mirrors).FetchFileAsync(LabelsFile, _folder.Path, mirrors,
            e => { if (e.Stage == DownloadStage.MirrorFailed) reasons.Add(e.Reason!); });

        Assert.Equal(_content[Labels], File.ReadAllBytes(fetched.Path));
        Assert.Equal(3, reasons.Count);
        Assert.StartsWith("HTTP 404", reasons[0]);
        Assert.NotEmpty(reasons[1]); // connection refused, worded by the OS
        Assert.Contains("prematurely", reasons[2]); // the body ended before Content-Length
        Assert.Equal([Labels], _folder.Files());
    }

    [Fact]
    public async Task AllMirrorsFailingIsOneLineAndLeavesNothingBehind()
    {
        _server.Serve($"/short/{Labels}", CannedResponse.Truncated(_content[Labels], keep: 20));
        _server.Serve($"/bad/{Labels}", CannedResponse.Ok("<html>moved</html>"u8.ToArray()));
        Uri[] mirrors = [_server.Mirror("missing"), _server.Mirror("short"), _server.Mirror("bad")];

        var error = await Assert.ThrowsAsync<CnnParityException>(() => Downloader(mirrors).FetchAsync(_dataset, _folder.Path));

        Assert.StartsWith("train-images-idx3-ubyte.gz: download failed from every mirror: ", error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.All(mirrors, m => Assert.Contains(m.AbsoluteUri, error.Message));
        Assert.Empty(_folder.Files());

        var labelsError = await Assert.ThrowsAsync<CnnParityException>(
            () => Downloader(mirrors).FetchFileAsync(LabelsFile, _folder.Path, mirrors));
        Assert.Contains("HTTP 404", labelsError.Message);
        Assert.Contains("SHA-256 mismatch", labelsError.Message);
        Assert.Empty(_folder.Files());
    }

    [Fact]
    public async Task FilesAlreadyPresentAreNotRequested()
    {
        foreach (var (name, bytes) in _content)
            _folder.Write(name, bytes);
        var events = new List<DownloadEvent>();

        var fetched = await Downloader(_server.Mirror("good")).FetchAsync(_dataset, _folder.Path, events.Add);

        Assert.All(fetched, f => Assert.False(f.WasDownloaded));
        Assert.All(events, e => Assert.Equal(DownloadStage.AlreadyPresent, e.Stage));
        Assert.Empty(_server.Requests);
    }

    [Fact]
    public async Task AFileWithTheWrongDigestIsReplaced()
    {
        _folder.Write(Labels, [1, 2, 3]);
        ServeAll("good");

        await Downloader(_server.Mirror("good")).FetchFileAsync(LabelsFile, _folder.Path, [_server.Mirror("good")]);

        Assert.Equal(_content[Labels], File.ReadAllBytes(Path.Combine(_folder.Path, Labels)));
        Assert.Equal([Labels], _folder.Files());
    }

    [Fact]
    public async Task OversizedBodyIsRefused()
    {
        ServeAll("good");
        var downloader = new MnistDownloader(_http, [_server.Mirror("good")]) { MaxFileBytes = 16 };

        var error = await Assert.ThrowsAsync<CnnParityException>(
            () => downloader.FetchFileAsync(LabelsFile, _folder.Path, [_server.Mirror("good")]));

        Assert.Contains("exceeds the 16-byte limit", error.Message);
        Assert.Empty(_folder.Files());
    }

    private static string Sha(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));
}
