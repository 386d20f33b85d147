using System.Buffers.Binary;

namespace CnnParity.Core.Data;

/// <summary>
/// The big-endian IDX header: magic (0, 0, dtype, rank), then one uint32 per dimension.
/// Only unsigned-byte IDX1 labels and IDX3 images are accepted, the two layouts MNIST uses.
/// </summary>
internal sealed record IdxHeader(IdxContent Content, int Count, int Rows, int Cols)
{
    /// <summary>Largest side accepted; MNIST is 28, anything past this is a corrupt header, not a dataset.</summary>
    public const int MaxSide = 1024;

    private const byte UnsignedByte = 0x08;

    public int RecordBytes => Content == IdxContent.Labels ? 1 : Rows * Cols;

    public long PayloadBytes => (long)Count * RecordBytes;

    /// <summary>"10000 labels" or "10000 images of 28x28", for messages.</summary>
    public string Describe(long count) =>
        Content == IdxContent.Labels ? $"{count} labels" : $"{count} images of {Rows}x{Cols}";

    /// <summary>How many records <paramref name="bytes"/> of payload make, plus any part record.</summary>
    public string Holds(long bytes)
    {
        long whole = bytes / RecordBytes, rest = bytes % RecordBytes;
        return rest == 0 ? $"{whole}" : $"{whole} (plus {rest} bytes)";
    }

    public static IdxHeader Read(Stream data, string path, IdxContent expected, bool gzip)
    {
        int rank = expected == IdxContent.Labels ? 1 : 3;
        int size = 4 + 4 * rank;
        Span<byte> header = stackalloc byte[16];
        int got = data.ReadAtLeast(header[..size], size, throwOnEndOfStream: false);

        // Check the magic before the length, so a text file called .gz says "not gzip", not "truncated".
        if (got >= 4)
            CheckMagic(header[..4], path, expected, rank, gzip);
        if (got < size)
            throw new IdxFormatException(path, $"truncated header: {got} of {size} bytes");

        uint count = BinaryPrimitives.ReadUInt32BigEndian(header[4..]);
        if (count > int.MaxValue)
            throw new IdxFormatException(path, $"count too large: header says {count} records, the reader accepts up to {int.MaxValue}");
        if (expected == IdxContent.Labels)
            return new IdxHeader(expected, (int)count, 1, 1);

        uint rows = BinaryPrimitives.ReadUInt32BigEndian(header[8..]);
        uint cols = BinaryPrimitives.ReadUInt32BigEndian(header[12..]);
        if (rows == 0 || cols == 0)
            throw new IdxFormatException(path, $"zero dimension: images of {rows}x{cols}");
        if (rows > MaxSide || cols > MaxSide)
            throw new IdxFormatException(path, $"dimension too large: images of {rows}x{cols}, the reader accepts up to {MaxSide}x{MaxSide}");
        return new IdxHeader(expected, (int)count, (int)rows, (int)cols);
    }

    private static void CheckMagic(ReadOnlySpan<byte> magic, string path, IdxContent expected, int rank, bool gzip)
    {
        string want = expected == IdxContent.Labels ? "0x00000801 (IDX1 labels)" : "0x00000803 (IDX3 images)";
        if (magic[0] != 0 || magic[1] != 0)
        {
            if (!gzip && path.EndsWith(".gz", StringComparison.OrdinalIgnoreCase))
                throw new IdxFormatException(path, $"not a gzip file: starts with {magic[0]:x2} {magic[1]:x2}, not 1f 8b, and is not raw IDX either");
            throw new IdxFormatException(path, $"bad magic 0x{BinaryPrimitives.ReadUInt32BigEndian(magic):x8}, expected {want}");
        }
        if (magic[2] != UnsignedByte)
            throw new IdxFormatException(path, $"unsupported data type 0x{magic[2]:x2}, expected 0x08 (unsigned byte)");
        if (magic[3] != rank)
            throw new IdxFormatException(path, $"wrong rank {magic[3]}, expected {rank} for {want}");
    }
}
