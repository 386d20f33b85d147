using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>Well-formed synthetic files, raw and gzip, read back exactly.</summary>
public sealed class IdxReaderTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesWithTheirShapeAndPixels(bool gzip)
    {
        byte[] raw = IdxFiles.Images(count: 3, rows: 4, cols: 5);
        string path = _folder.Write(gzip ? "images.gz" : "images", gzip ? IdxFiles.Gzip(raw) : raw);

        var images = IdxReader.ReadImages(path);

        Assert.Equal((3, 4, 5), (images.Count, images.Rows, images.Cols));
        Assert.Equal(IdxFiles.Pixels(3, 4, 5), images.Pixels);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsLabels(bool gzip)
    {
        byte[] labels = IdxFiles.DigitLabels(37);
        byte[] raw = IdxFiles.Labels(labels);
        string path = _folder.Write("labels.gz", gzip ? IdxFiles.Gzip(raw) : raw);

        Assert.Equal(labels, IdxReader.ReadLabels(path).Values);
    }

    [Fact]
    public void GzipIsRecognisedByMagicNotByName()
    {
        string path = _folder.Write("labels-idx1-ubyte", IdxFiles.Gzip(IdxFiles.Labels(1, 2, 3)));

        Assert.Equal([1, 2, 3], IdxReader.ReadLabels(path).Values);
    }

    [Fact]
    public void AcceptsZeroRecordsAndNonMnistSides()
    {
        Assert.Equal(0, IdxReader.ReadLabels(new MemoryStream(IdxFiles.Labels()), "empty-labels").Count);
        var wide = IdxReader.ReadImages(new MemoryStream(IdxFiles.Images(2, 1, 1024)), "wide");
        Assert.Equal((2, 1, 1024), (wide.Count, wide.Rows, wide.Cols));
    }

    [Fact]
    public void ReadsPayloadsLargerThanTheFirstGzipChunk()
    {
        // 3 MB of pixels forces the growing buffer through two doublings.
        byte[] raw = IdxFiles.Images(count: 3900, rows: 28, cols: 28);
        var images = IdxReader.ReadImages(new MemoryStream(IdxFiles.Gzip(raw)), "big.gz");

        Assert.Equal(3900, images.Count);
        Assert.Equal(raw.AsSpan(16).ToArray(), images.Pixels);
    }
}
