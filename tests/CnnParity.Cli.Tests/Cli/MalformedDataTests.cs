using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// Broken data reaching the CLI through --data: a small, valid MNIST-format folder (the four .gz files) with one
/// file spoiled per case. Every case is exit 2, one line naming the file and the problem, and the previous
/// report left as it was. The reader's own corpus and fuzz test (CnnParity.Core.Tests) cover the byte-level
/// cases in depth; these prove the CLI passes the reader's verdict through unchanged.
/// </summary>
public sealed class MalformedDataTests : IDisposable
{
    const string TrainImages = "train-images-idx3-ubyte.gz", TrainLabels = "train-labels-idx1-ubyte.gz";
    const string TestImages = "t10k-images-idx3-ubyte.gz", TestLabels = "t10k-labels-idx1-ubyte.gz";
    const int TrainCount = 300, TestCount = 200;

    readonly TempFolder work = new();
    readonly PreviousReport previous;
    readonly string data;

    public MalformedDataTests()
    {
        previous = new PreviousReport(Path.Combine(work.Path, "reports"));
        data = Directory.CreateDirectory(Path.Combine(work.Path, "data")).FullName;
        Write(TrainImages, IdxFiles.Gzip(IdxFiles.Images(TrainCount, 28, 28)));
        Write(TrainLabels, IdxFiles.Gzip(IdxFiles.Labels(IdxFiles.DigitLabels(TrainCount))));
        Write(TestImages, IdxFiles.Gzip(IdxFiles.Images(TestCount, 28, 28)));
        Write(TestLabels, IdxFiles.Gzip(IdxFiles.Labels(IdxFiles.DigitLabels(TestCount))));
    }

    public void Dispose() => work.Dispose();

    void Write(string name, byte[] bytes) => File.WriteAllBytes(Path.Combine(data, name), bytes);

    static byte[] LabelsWith(int count, int index, byte value)
    {
        var labels = IdxFiles.DigitLabels(count);
        labels[index] = value;
        return IdxFiles.Gzip(IdxFiles.Labels(labels));
    }

    /// <summary>The file to spoil, its new bytes (null: delete it), and the phrase after "file name: ".</summary>
    public static TheoryData<string, string, byte[]?, string> Cases => new()
    {
        { "wrong magic", TrainLabels, IdxFiles.Gzip([.. IdxFiles.Header(0x12345678, TrainCount), .. IdxFiles.DigitLabels(TrainCount)]), "bad magic 0x12345678" },
        { "wrong dtype byte", TrainImages, IdxFiles.Gzip([.. IdxFiles.Header(0xD03, 1, 28, 28), .. new byte[4 * 784]]), "unsupported data type 0x0d" },
        { "wrong rank (labels file as images)", TestImages, IdxFiles.Gzip(IdxFiles.Labels(IdxFiles.DigitLabels(TestCount))), "wrong rank 1" },
        { "zero dimension", TrainImages, IdxFiles.Gzip(IdxFiles.Header(0x803, TrainCount, 0, 28)), "zero dimension" },
        { "count 2^31 in the header", TestLabels, IdxFiles.Gzip([.. IdxFiles.Header(0x801, 1u << 31), 1, 2]), "count too large" },
        { "truncated payload", TestImages, IdxFiles.Gzip(IdxFiles.Images(TestCount, 28, 28)[..^1000]), "truncated payload" },
        { "truncated header", TrainLabels, IdxFiles.Gzip(IdxFiles.Header(0x801, TrainCount)[..6]), "truncated header" },
        { "trailing bytes", TestLabels, IdxFiles.Gzip([.. IdxFiles.Labels(IdxFiles.DigitLabels(TestCount)), 7, 7]), "trailing bytes after payload" },
        { "label 10", TrainLabels, LabelsWith(TrainCount, 17, 10), "label 10 at index 17 is not a digit 0..9" },
        { "label 255", TestLabels, LabelsWith(TestCount, 0, 255), "label 255 at index 0 is not a digit 0..9" },
        { "not gzip", TrainImages, "<html>404 Not Found</html>"u8.ToArray(), "not a gzip file" },
        { "truncated gzip stream", TrainImages, IdxFiles.Gzip(IdxFiles.Images(TrainCount, 28, 28))[..2000], "truncated" },
        { "empty file", TestImages, [], "empty file" },
        { "missing file", TestLabels, null, "file not found" },
        { "images/labels count mismatch", TrainLabels, IdxFiles.Gzip(IdxFiles.Labels(IdxFiles.DigitLabels(TrainCount - 1))), "count mismatch: 299 labels" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void SpoiledFileIsOneLineNamingTheFile(string name, string file, byte[]? bytes, string phrase)
    {
        if (bytes is null) File.Delete(Path.Combine(data, file));
        else Write(file, bytes);

        var result = Report();

        Assert.True(result.ExitCode == 2, $"{name}\n{result}");
        CliAssert.OneLineError(result, 2, $"cnnparity: {file}: ", phrase);
        previous.AssertUntouched(result);
    }

    [Fact]
    public void DirectoryWhereAFileShouldBe()
    {
        File.Delete(Path.Combine(data, TrainLabels));
        Directory.CreateDirectory(Path.Combine(data, TrainLabels));
        var result = Report();
        CliAssert.OneLineError(result, 2, $"cnnparity: {TrainLabels}: ", "is a directory");
        previous.AssertUntouched(result);
    }

    [SkippableFact]
    public void UnreadableFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "file modes are POSIX");
        Skip.If(Environment.UserName == "root", "root reads any file, whatever its mode");
        if (OperatingSystem.IsWindows()) return; // for the platform analyser; skipped above
        File.SetUnixFileMode(Path.Combine(data, TestImages), UnixFileMode.None);
        var result = Report();
        CliAssert.OneLineError(result, 2, $"cnnparity: {TestImages}: ", "cannot read");
        previous.AssertUntouched(result);
    }

    [Fact]
    public void MissingDataFolder()
    {
        string missing = Path.Combine(work.Path, "no-such-folder");
        var result = CliProcess.Run(work.Path, "report", "--data", missing, "--train", "256", "--batch", "128", "--epochs", "1", "--test", "100");
        CliAssert.OneLineError(result, 2, missing, "does not exist");
        previous.AssertUntouched(result);
    }

    [Theory]
    [InlineData("301", "100", "--train 301 is more than the 300 training images")]
    [InlineData("256", "201", "--test 201 is more than the 200 test images")]
    public void CountLargerThanTheData(string train, string test, string phrase)
    {
        var result = CliProcess.Run(work.Path, "report", "--data", data, "--batch", "100", "--epochs", "1", "--train", train, "--test", test);
        CliAssert.OneLineError(result, 2, phrase);
        previous.AssertUntouched(result);
    }

    [Fact]
    public void TrainAndParityReadTheSameWay()
    {
        Write(TrainLabels, LabelsWith(TrainCount, 5, 42));
        foreach (var args in new[]
                 {
                     new[] { "train", "--metrics-out", Path.Combine(previous.Folder, "metrics.json") },
                     new[] { "parity", "--json", Path.Combine(previous.Folder, "parity.json") },
                 })
        {
            var result = CliProcess.Run(work.Path, [.. args, "--data", data, "--train", "256", "--batch", "128", "--epochs", "1", "--test", "100"]);
            CliAssert.OneLineError(result, 2, $"cnnparity: {TrainLabels}: label 42 at index 5");
            previous.AssertUntouched(result);
        }
    }

    CliResult Report() => CliProcess.Run(work.Path,
        "report", "--data", data, "--quick", "--train", "256", "--batch", "128", "--epochs", "1", "--test", "100", "--bench-reps", "0");
}
