using System.Buffers.Binary;
using System.Globalization;
using System.IO.Compression;
using System.Text;

namespace CnnParity.Testing.NumPy;

/// <summary>
/// Writes float64 arrays as NumPy writes them with <c>np.savez</c>: an uncompressed zip with one <c>NAME.npy</c> per
/// array, each a format-1.0 <c>.npy</c> (<c>'&lt;f8'</c>, C order, header padded to 64 bytes as numpy/lib/format.py
/// pads it). <c>np.load</c> reads the result, and so does <see cref="Npz"/>.
/// </summary>
public static class NpzWriter
{
    /// <summary>The archive's bytes, arrays in the given order.</summary>
    public static byte[] Write(IEnumerable<(string Name, long[] Shape, double[] Values)> arrays)
    {
        using var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, shape, values) in arrays)
            {
                using var entry = zip.CreateEntry(name + ".npy", CompressionLevel.NoCompression).Open();
                entry.Write(Npy(shape, values));
            }
        }
        return stream.ToArray();
    }

    /// <summary>One <c>.npy</c> image of a float64 array.</summary>
    public static byte[] Npy(long[] shape, ReadOnlySpan<double> values)
    {
        long count = shape.Aggregate(1L, (a, b) => a * b);
        if (count != values.Length)
            throw new ArgumentException($"{values.Length} values cannot fill shape ({string.Join(", ", shape)})", nameof(values));
        string dims = shape.Length == 1 ? $"{shape[0]}," : string.Join(", ", shape.Select(d => d.ToString(CultureInfo.InvariantCulture)));
        string dict = $"{{'descr': '<f8', 'fortran_order': False, 'shape': ({dims}), }}";
        // magic (6) + version (2) + header length (2) + dict + padding + '\n' is a multiple of 64.
        int unpadded = 10 + dict.Length + 1;
        string header = dict + new string(' ', (64 - unpadded % 64) % 64) + "\n";
        var bytes = new byte[10 + header.Length + values.Length * sizeof(double)];
        ReadOnlySpan<byte> magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0];
        magic.CopyTo(bytes);
        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(8), (ushort)header.Length);
        Encoding.ASCII.GetBytes(header, bytes.AsSpan(10));
        var data = bytes.AsSpan(10 + header.Length);
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteDoubleLittleEndian(data[(i * sizeof(double))..], values[i]);
        return bytes;
    }
}
