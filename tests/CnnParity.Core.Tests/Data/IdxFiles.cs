using System.Buffers.Binary;
using System.IO.Compression;

namespace CnnParity.Core.Tests.Data;

/// <summary>Writes small IDX files byte by byte, so tests control every header field.</summary>
internal static class IdxFiles
{
    public static byte[] Header(uint magic, params uint[] dims)
    {
        var bytes = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, magic);
        for (int i = 0; i < dims.Length; i++)
            BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(4 + 4 * i), dims[i]);
        return bytes;
    }

    public static byte[] Labels(params byte[] labels) => [.. Header(0x801, (uint)labels.Length), .. labels];

    public static byte[] Images(int count, int rows, int cols) =>
        [.. Header(0x803, (uint)count, (uint)rows, (uint)cols), .. Pixels(count, rows, cols)];

    /// <summary>A recognisable pattern: pixel i of the payload is (7i + 3) mod 256.</summary>
    public static byte[] Pixels(int count, int rows, int cols) =>
        Enumerable.Range(0, count * rows * cols).Select(i => (byte)((7 * i + 3) % 256)).ToArray();

    public static byte[] DigitLabels(int count) => Enumerable.Range(0, count).Select(i => (byte)(i * 3 % 10)).ToArray();

    public static byte[] Gzip(byte[] raw)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true))
            gzip.Write(raw);
        return output.ToArray();
    }
}

/// <summary>A fresh folder under the temp directory, deleted with everything in it on dispose.</summary>
internal sealed class TempFolder : IDisposable
{
    public string Path { get; } = Directory.CreateTempSubdirectory("cnnparity-tests-").FullName;

    public string Write(string name, byte[] bytes)
    {
        string path = System.IO.Path.Combine(Path, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    public string[] Files() => Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).ToArray()!;

    public void Dispose()
    {
        if (Directory.Exists(Path))
            Directory.Delete(Path, recursive: true);
    }
}
