using System.Diagnostics;
using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>
/// Every broken input ends in one typed, one-line error that names the file and the problem,
/// and a header that lies about its size never makes the reader allocate what it claims.
/// </summary>
public sealed class IdxMalformedTests : IDisposable
{
    private const long AllocationBound = 16L << 20;
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    public static TheoryData<string> CaseNames => new(MalformedIdxCases.All.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void BrokenFileGivesOneLineTypedError(string caseName)
    {
        var broken = MalformedIdxCases.All[caseName];
        string path = _folder.Write(broken.FileName, broken.Bytes);

        var error = Assert.Throws<IdxFormatException>(() => Read(path, broken.Content));

        AssertOneLine(error, broken.FileName, broken.Phrase);
    }

    [Fact]
    public void DirectoryInsteadOfFile()
    {
        Directory.CreateDirectory(Path.Combine(_folder.Path, "train-images-idx3-ubyte.gz"));

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(Path.Combine(_folder.Path, "train-images-idx3-ubyte.gz")));

        AssertOneLine(error, "train-images-idx3-ubyte.gz", "is a directory, not a file");
    }

    [Fact]
    public void MissingFile()
    {
        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(Path.Combine(_folder.Path, "t10k-labels-idx1-ubyte.gz")));

        AssertOneLine(error, "t10k-labels-idx1-ubyte.gz", $"file not found in {_folder.Path}");
    }

    [Fact]
    public void MissingFolder()
    {
        string path = Path.Combine(_folder.Path, "nowhere", "t10k-labels-idx1-ubyte.gz");

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        AssertOneLine(error, "t10k-labels-idx1-ubyte.gz", "file not found in");
    }

    [SkippableFact]
    public void UnreadableFile()
    {
        if (OperatingSystem.IsWindows())
            throw new SkipException("POSIX permissions only");
        string path = _folder.Write("train-labels-idx1-ubyte.gz", IdxFiles.Labels(1, 2));
        File.SetUnixFileMode(path, UnixFileMode.None);
        Skip.If(CanOpen(path), "this user (root?) can read a mode-000 file, so the case cannot be produced here");

        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadLabels(path));

        AssertOneLine(error, "train-labels-idx1-ubyte.gz", "cannot read: permission denied");
    }

    [Fact]
    public void ImagesAndLabelsCountsMustAgree()
    {
        string images = _folder.Write("train-images-idx3-ubyte.gz", IdxFiles.Gzip(IdxFiles.Images(3, 2, 2)));
        string labels = _folder.Write("train-labels-idx1-ubyte.gz", IdxFiles.Gzip(IdxFiles.Labels(1, 2)));

        var error = Assert.Throws<IdxFormatException>(() => LabelledImages.Load(images, labels));

        AssertOneLine(error, "train-labels-idx1-ubyte.gz", "count mismatch: 2 labels but train-images-idx3-ubyte.gz holds 3 images");
    }

    [Theory]
    [InlineData(1u << 31, false, "count too large: header says 2147483648")]
    [InlineData(int.MaxValue, false, "truncated payload: header says 2147483647 images of 28x28")]
    [InlineData(1u << 31, true, "count too large: header says 2147483648")]
    [InlineData(2_000_000u, true, "truncated payload: header says 2000000 images of 28x28, file holds 1 (plus 16 bytes)")]
    [InlineData(2_000_000u, false, "truncated payload: header says 2000000 images of 28x28, file holds 1 (plus 16 bytes)")]
    public void LyingCountFailsFastWithoutAllocatingWhatItClaims(uint count, bool gzip, string phrase)
    {
        byte[] raw = [.. IdxFiles.Header(0x803, count, 28, 28), .. new byte[800]];
        string path = _folder.Write("t10k-images-idx3-ubyte.gz", gzip ? IdxFiles.Gzip(raw) : raw);

        var clock = Stopwatch.StartNew();
        long before = GC.GetAllocatedBytesForCurrentThread();
        var error = Assert.Throws<IdxFormatException>(() => IdxReader.ReadImages(path));
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        AssertOneLine(error, "t10k-images-idx3-ubyte.gz", phrase);
        Assert.True(allocated < AllocationBound, $"allocated {allocated} bytes");
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), $"took {clock.Elapsed}");
    }

    [Fact]
    public void CorpusHasAtLeastThirtyCases() =>
        Assert.True(MalformedIdxCases.All.Count >= 30, $"{MalformedIdxCases.All.Count} cases");

    internal static void AssertOneLine(CnnParityException error, string fileName, string phrase)
    {
        Assert.StartsWith($"{fileName}: ", error.Message);
        Assert.Contains(phrase, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.DoesNotContain('\r', error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    private static object Read(string path, IdxContent content) =>
        content == IdxContent.Images ? IdxReader.ReadImages(path) : IdxReader.ReadLabels(path);

    private static bool CanOpen(string path)
    {
        try
        {
            File.OpenRead(path).Dispose();
            return true;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
