using System.IO.Compression;

namespace CnnParity.Core.Data;

/// <summary>
/// Reads MNIST-style IDX files (http://yann.lecun.com/exdb/mnist/, "FILE FORMATS"), raw or gzip;
/// gzip is recognised by its magic bytes 1f 8b, not by the file name.
/// Every failure is an <see cref="IdxFormatException"/> naming the file and the problem in one line.
/// </summary>
public static class IdxReader
{
    public static IdxImages ReadImages(string path) => ReadFile(path, stream => ReadImages(stream, path));

    public static IdxLabels ReadLabels(string path) => ReadFile(path, stream => ReadLabels(stream, path));

    /// <param name="source">A seekable stream positioned at the start of the file (gzip detection peeks at it).</param>
    /// <param name="path">Names the source in error messages.</param>
    public static IdxImages ReadImages(Stream source, string path)
    {
        var (header, pixels) = Read(source, path, IdxContent.Images);
        return new IdxImages(path, header.Count, header.Rows, header.Cols, pixels);
    }

    /// <inheritdoc cref="ReadImages(Stream, string)"/>
    public static IdxLabels ReadLabels(Stream source, string path)
    {
        var (_, labels) = Read(source, path, IdxContent.Labels);
        int bad = Array.FindIndex(labels, label => label > 9);
        if (bad >= 0)
            throw new IdxFormatException(path, $"label {labels[bad]} at index {bad} is not a digit 0..9");
        return new IdxLabels(path, labels);
    }

    private static (IdxHeader Header, byte[] Payload) Read(Stream source, string path, IdxContent content)
    {
        if (!source.CanSeek)
            throw new ArgumentException("the IDX reader needs a seekable stream", nameof(source));
        try
        {
            if (source.Length - source.Position == 0)
                throw new IdxFormatException(path, "empty file");
            bool gzip = StartsWithGzipMagic(source);
            Stream data = gzip ? new GZipStream(source, CompressionMode.Decompress, leaveOpen: true) : source;
            try
            {
                var header = IdxHeader.Read(data, path, content, gzip);
                long? rawRemaining = gzip ? null : source.Length - source.Position;
                return (header, IdxPayload.Read(data, path, header, rawRemaining));
            }
            finally
            {
                if (gzip)
                    data.Dispose();
            }
        }
        catch (InvalidDataException e)
        {
            throw new IdxFormatException(path, $"corrupt gzip stream: {e.Message}", e);
        }
        catch (IOException e)
        {
            throw new IdxFormatException(path, $"cannot read: {e.Message}", e);
        }
    }

    private static bool StartsWithGzipMagic(Stream source)
    {
        long start = source.Position;
        Span<byte> magic = stackalloc byte[2];
        int got = source.ReadAtLeast(magic, 2, throwOnEndOfStream: false);
        source.Position = start;
        return got == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static T ReadFile<T>(string path, Func<FileStream, T> read)
    {
        if (Directory.Exists(path))
            throw new IdxFormatException(path, "is a directory, not a file");
        FileStream stream;
        try
        {
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            string folder = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
            throw new IdxFormatException(path, $"file not found in {folder}; run `cnnparity data fetch` or pass --data DIR", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new IdxFormatException(path, "cannot read: permission denied", e);
        }
        catch (IOException e)
        {
            throw new IdxFormatException(path, $"cannot read: {e.Message}", e);
        }
        using (stream)
            return read(stream);
    }
}
