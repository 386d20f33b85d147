using System.Buffers.Binary;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace CnnParity.Testing.NumPy;

/// <summary>
/// One array read from a NumPy <c>.npy</c> file (format versions 1.0, 2.0 and 3.0, see
/// <c>numpy/lib/format.py</c>). The data is kept as raw bytes in C order and little-endian byte order:
/// big-endian arrays are swapped and Fortran-ordered arrays are transposed on reading, so the typed
/// accessors never convert a value silently. Supported dtypes: <c>f8 f4 i8 i4 i2 i1 u8 u4 u2 u1 b1</c>.
/// </summary>
public sealed partial class NpyArray
{
    private static readonly byte[] Magic = [0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y'];

    /// <summary>The dtype as NumPy names it, normalised to little-endian: <c>&lt;f8</c>, <c>&lt;i8</c>, <c>|u1</c>, ...</summary>
    public string Descr { get; }

    /// <summary>The shape; empty for a 0-d array.</summary>
    public int[] Shape { get; }

    /// <summary>Bytes per element.</summary>
    public int ItemSize { get; }

    /// <summary>The elements, C order, little-endian.</summary>
    public byte[] Data { get; }

    /// <summary>Number of elements (the product of <see cref="Shape"/>).</summary>
    public long Length => Data.Length / ItemSize;

    private NpyArray(string descr, int[] shape, int itemSize, byte[] data)
    {
        Descr = descr;
        Shape = shape;
        ItemSize = itemSize;
        Data = data;
    }

    /// <summary>The shape as NumPy prints it, e.g. <c>(128, 784)</c>.</summary>
    public string ShapeText => Shape.Length == 1 ? $"({Shape[0]},)" : "(" + string.Join(", ", Shape) + ")";

    /// <summary>The float64 elements; throws unless the dtype is <c>&lt;f8</c>.</summary>
    public double[] ToDoubleArray() => Cast<double>("<f8");

    /// <summary>The int64 elements; throws unless the dtype is <c>&lt;i8</c>.</summary>
    public long[] ToInt64Array() => Cast<long>("<i8");

    /// <summary>The uint8 elements; throws unless the dtype is <c>|u1</c>.</summary>
    public byte[] ToByteArray() => Cast<byte>("|u1");

    /// <summary>
    /// Any integer, boolean or floating dtype widened to float64 (exact for every dtype supported except
    /// int64/uint64 beyond 2^53), e.g. to compare a uint8 dropout mask with a float64 one.
    /// </summary>
    public double[] ToDoubleArrayWidening()
    {
        var result = new double[Length];
        ReadOnlySpan<byte> d = Data;
        for (int i = 0; i < result.Length; i++)
        {
            ReadOnlySpan<byte> e = d.Slice(i * ItemSize, ItemSize);
            result[i] = Descr[1..] switch
            {
                "f8" => BinaryPrimitives.ReadDoubleLittleEndian(e),
                "f4" => BinaryPrimitives.ReadSingleLittleEndian(e),
                "i8" => BinaryPrimitives.ReadInt64LittleEndian(e),
                "i4" => BinaryPrimitives.ReadInt32LittleEndian(e),
                "i2" => BinaryPrimitives.ReadInt16LittleEndian(e),
                "i1" => (sbyte)e[0],
                "u8" => BinaryPrimitives.ReadUInt64LittleEndian(e),
                "u4" => BinaryPrimitives.ReadUInt32LittleEndian(e),
                "u2" => BinaryPrimitives.ReadUInt16LittleEndian(e),
                "u1" or "b1" => e[0],
                _ => throw new InvalidDataException($"dtype {Descr} cannot be widened to float64"),
            };
        }
        return result;
    }

    private T[] Cast<T>(string expected) where T : unmanaged
    {
        if (Descr != expected)
        {
            throw new InvalidDataException($"array has dtype {Descr}, not {expected}");
        }
        var result = new T[Length];
        Data.AsSpan().CopyTo(System.Runtime.InteropServices.MemoryMarshal.AsBytes(result.AsSpan()));
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("big-endian hosts are not supported");
        }
        return result;
    }

    /// <summary>Reads a <c>.npy</c> file.</summary>
    public static NpyArray Load(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads one <c>.npy</c> image from a stream (e.g. an entry of an <c>.npz</c>).</summary>
    public static NpyArray Read(Stream stream, string name = "stream")
    {
        Span<byte> pre = stackalloc byte[8];
        ReadExactly(stream, pre, name);
        if (!pre[..6].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{name}: not a .npy file (bad magic)");
        }
        byte major = pre[6];
        int headerLength;
        if (major == 1)
        {
            Span<byte> len = stackalloc byte[2];
            ReadExactly(stream, len, name);
            headerLength = BinaryPrimitives.ReadUInt16LittleEndian(len);
        }
        else if (major is 2 or 3)
        {
            Span<byte> len = stackalloc byte[4];
            ReadExactly(stream, len, name);
            headerLength = checked((int)BinaryPrimitives.ReadUInt32LittleEndian(len));
        }
        else
        {
            throw new InvalidDataException($"{name}: unsupported .npy version {major}.{pre[7]}");
        }
        var headerBytes = new byte[headerLength];
        ReadExactly(stream, headerBytes, name);
        string header = (major == 3 ? Encoding.UTF8 : Encoding.Latin1).GetString(headerBytes);

        string descr = Field(DescrPattern(), header, name, "descr");
        bool fortran = Field(FortranPattern(), header, name, "fortran_order") == "True";
        string shapeText = Field(ShapePattern(), header, name, "shape");
        int[] shape = shapeText.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(s => int.Parse(s.TrimEnd('L'), CultureInfo.InvariantCulture)).ToArray();

        (string normalized, int itemSize, bool bigEndian) = ParseDescr(descr, name);
        long count = shape.Aggregate(1L, (a, b) => a * b);
        var data = new byte[checked(count * itemSize)];
        ReadExactly(stream, data, name);
        if (bigEndian && itemSize > 1)
        {
            for (long i = 0; i < count; i++)
            {
                data.AsSpan((int)(i * itemSize), itemSize).Reverse();
            }
        }
        if (fortran && shape.Length > 1)
        {
            data = FortranToC(data, shape, itemSize);
        }
        return new NpyArray(normalized, shape, itemSize, data);
    }

    private static (string Normalized, int ItemSize, bool BigEndian) ParseDescr(string descr, string name)
    {
        if (descr.Length < 3 || !"<>|=".Contains(descr[0]))
        {
            throw new InvalidDataException($"{name}: unsupported dtype '{descr}'");
        }
        char kind = descr[1];
        if (!"fiub".Contains(kind) || !int.TryParse(descr.AsSpan(2), NumberStyles.None, CultureInfo.InvariantCulture, out int size)
            || size is not (1 or 2 or 4 or 8) || (kind == 'f' && size < 4) || (kind == 'b' && size != 1))
        {
            throw new InvalidDataException($"{name}: unsupported dtype '{descr}'");
        }
        string normalized = (size == 1 ? "|" : "<") + kind + size.ToString(CultureInfo.InvariantCulture);
        return (normalized, size, descr[0] == '>');
    }

    private static byte[] FortranToC(byte[] data, int[] shape, int itemSize)
    {
        int rank = shape.Length;
        var result = new byte[data.Length];
        long count = data.Length / itemSize;
        var index = new int[rank];
        for (long c = 0; c < count; c++)
        {
            long f = 0;
            for (int d = rank - 1; d >= 0; d--)
            {
                f = f * shape[d] + index[d];
            }
            Buffer.BlockCopy(data, (int)(f * itemSize), result, (int)(c * itemSize), itemSize);
            for (int d = rank - 1; d >= 0; d--)
            {
                if (++index[d] < shape[d])
                {
                    break;
                }
                index[d] = 0;
            }
        }
        return result;
    }

    private static string Field(Regex pattern, string header, string name, string field)
    {
        Match m = pattern.Match(header);
        return m.Success ? m.Groups[1].Value : throw new InvalidDataException($"{name}: .npy header has no '{field}'");
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string name)
    {
        try
        {
            stream.ReadExactly(buffer);
        }
        catch (EndOfStreamException e)
        {
            throw new InvalidDataException($"{name}: truncated .npy data", e);
        }
    }

    [GeneratedRegex(@"'descr'\s*:\s*'([^']*)'")]
    private static partial Regex DescrPattern();

    [GeneratedRegex(@"'fortran_order'\s*:\s*(True|False)")]
    private static partial Regex FortranPattern();

    [GeneratedRegex(@"'shape'\s*:\s*\(([^)]*)\)")]
    private static partial Regex ShapePattern();
}
