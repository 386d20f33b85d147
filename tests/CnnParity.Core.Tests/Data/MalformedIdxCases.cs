using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>One broken file: its name, what it should hold, its bytes, and a phrase the error must contain.</summary>
internal sealed record MalformedCase(string FileName, IdxContent Content, byte[] Bytes, string Phrase);

/// <summary>The corpus of broken IDX files that fit in memory; file-system failures are separate facts.</summary>
internal static class MalformedIdxCases
{
    private const IdxContent Images = IdxContent.Images;
    private const IdxContent Labels = IdxContent.Labels;

    private static readonly byte[] ValidLabels = IdxFiles.Labels(IdxFiles.DigitLabels(10));
    private static readonly byte[] ValidImages = IdxFiles.Images(count: 3, rows: 4, cols: 5);

    // GZipStream writes nothing at all for empty input, so the empty member is spelled out:
    // header (magic, deflate, no flags, mtime 0, OS unknown), one empty final block, CRC 0, length 0.
    private static readonly byte[] EmptyGzip = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 0xff, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    // Static fields initialise in text order: the inputs above must precede the corpus.
    public static readonly IReadOnlyDictionary<string, MalformedCase> All = new Dictionary<string, MalformedCase>
    {
        ["empty file"] = new("train-labels-idx1-ubyte", Labels, [], "empty file"),
        ["header cut at 1 byte"] = new("a-labels", Labels, ValidLabels[..1], "truncated header: 1 of 8 bytes"),
        ["header cut at 3 bytes"] = new("b-labels", Labels, ValidLabels[..3], "truncated header: 3 of 8 bytes"),
        ["header cut after magic"] = new("c-labels", Labels, ValidLabels[..4], "truncated header: 4 of 8 bytes"),
        ["header cut at 7 bytes"] = new("d-labels", Labels, ValidLabels[..7], "truncated header: 7 of 8 bytes"),
        ["images header cut at 8"] = new("a-images", Images, ValidImages[..8], "truncated header: 8 of 16 bytes"),
        ["images header cut at 12"] = new("b-images", Images, ValidImages[..12], "truncated header: 12 of 16 bytes"),
        ["images header cut at 15"] = new("c-images", Images, ValidImages[..15], "truncated header: 15 of 16 bytes"),
        ["wrong magic"] = new("magic-labels", Labels, [.. IdxFiles.Header(0x12345678, 1), 0], "bad magic 0x12345678"),
        ["magic from a little-endian writer"] = new("le-labels", Labels, [1, 8, 0, 0, 1, 0, 0, 0, 0], "bad magic 0x01080000"),
        ["images file read as labels"] = new("swapped-labels", Labels, ValidImages, "wrong rank 3"),
        ["labels file read as images"] = new("swapped-images", Images, ValidLabels, "wrong rank 1"),
        ["rank 2"] = new("rank2-images", Images, [.. IdxFiles.Header(0x802, 1, 1), 0, 0, 0, 0, 0], "wrong rank 2"),
        ["float dtype"] = new("float-images", Images, [.. IdxFiles.Header(0xD03, 1, 1, 1), 0, 0, 0, 0], "unsupported data type 0x0d"),
        ["signed byte dtype"] = new("sbyte-labels", Labels, [.. IdxFiles.Header(0x901, 1), 0], "unsupported data type 0x09"),
        ["zero rows"] = new("zero-rows-images", Images, IdxFiles.Header(0x803, 1, 0, 28), "zero dimension: images of 0x28"),
        ["zero cols"] = new("zero-cols-images", Images, IdxFiles.Header(0x803, 1, 28, 0), "zero dimension: images of 28x0"),
        ["huge rows"] = new("tall-images", Images, IdxFiles.Header(0x803, 1, 2000, 28), "dimension too large: images of 2000x28"),
        ["huge cols"] = new("wide-images", Images, IdxFiles.Header(0x803, 1, 28, uint.MaxValue), "dimension too large: images of 28x4294967295"),
        ["count above payload"] = new("t10k-labels-idx1-ubyte", Labels, [.. IdxFiles.Header(0x801, 10), 1, 2, 3, 4, 5, 6, 7],
            "truncated payload: header says 10 labels, file holds 7"),
        ["count below payload"] = new("short-labels", Labels, [.. IdxFiles.Header(0x801, 5), 1, 2, 3, 4, 5, 6, 7],
            "trailing bytes after payload: header says 5 labels, file holds 7"),
        ["images payload cut mid-image"] = new("cut-images", Images, ValidImages[..^13],
            "truncated payload: header says 3 images of 4x5, file holds 2 (plus 7 bytes)"),
        ["images with trailing bytes"] = new("long-images", Images, [.. ValidImages, 9, 9],
            "trailing bytes after payload: header says 3 images of 4x5, file holds 3 (plus 2 bytes)"),
        ["label 10"] = new("ten-labels", Labels, IdxFiles.Labels(1, 2, 3, 10, 4), "label 10 at index 3 is not a digit 0..9"),
        ["label 255"] = new("ff-labels", Labels, IdxFiles.Labels(255), "label 255 at index 0 is not a digit 0..9"),
        ["count 2^31"] = new("huge-count-labels", Labels, [.. IdxFiles.Header(0x801, 1u << 31), 1, 2], "count too large: header says 2147483648"),
        ["text file called .gz"] = new("train-images-idx3-ubyte.gz", Images, "<html>404 Not Found</html>"u8.ToArray(),
            "not a gzip file: starts with 3c 68"),
        ["gzip magic only"] = new("magic-only.gz", Labels, [0x1f, 0x8b], "truncated header: 0 of 8 bytes"),
        ["gzip header then garbage"] = new("garbage.gz", Labels, [.. IdxFiles.Gzip(ValidLabels)[..10], .. Enumerable.Repeat((byte)0xff, 40)],
            "corrupt gzip stream"),
        ["gzip cut in the deflate data"] = new("cut-labels.gz", Labels, Cut(IdxFiles.Gzip(IdxFiles.Labels(IdxFiles.DigitLabels(5000))), 0.5),
            "truncated payload: header says 5000 labels"),
        ["gzip of an empty file"] = new("empty-content.gz", Labels, EmptyGzip, "truncated header: 0 of 8 bytes"),
        ["gzip with a wrong CRC"] = new("crc-labels.gz", Labels, FlipByte(IdxFiles.Gzip(ValidLabels), fromEnd: 8), "corrupt gzip stream"),
        ["gzip with a wrong length"] = new("isize-labels.gz", Labels, FlipByte(IdxFiles.Gzip(ValidLabels), fromEnd: 4), "corrupt gzip stream"),
        ["gzip count above payload"] = new("long-count.gz", Labels, IdxFiles.Gzip([.. IdxFiles.Header(0x801, 10), 1, 2, 3]),
            "truncated payload: header says 10 labels, file holds 3"),
        ["gzip with trailing bytes"] = new("trailing.gz", Images, IdxFiles.Gzip([.. ValidImages, 1]),
            "trailing bytes after payload: header says 3 images of 4x5, file holds 3 (plus 1 bytes)"),
        ["gzip wrong magic"] = new("magic.gz", Images, IdxFiles.Gzip([.. IdxFiles.Header(0x00000804, 1, 1, 1), 0]), "wrong rank 4"),
        ["gzip label 12"] = new("twelve.gz", Labels, IdxFiles.Gzip(IdxFiles.Labels(0, 12)), "label 12 at index 1 is not a digit 0..9"),
        ["gzip claims more images than one array holds"] = new("bomb-images.gz", Images,
            IdxFiles.Gzip(IdxFiles.Header(0x803, int.MaxValue, 28, 28)), "payload too large: header says 2147483647 images of 28x28"),
    };

    private static byte[] FlipByte(byte[] bytes, int fromEnd)
    {
        bytes[^fromEnd] ^= 0x5a;
        return bytes;
    }

    private static byte[] Cut(byte[] bytes, double keep) => bytes[..(int)(bytes.Length * keep)];
}
