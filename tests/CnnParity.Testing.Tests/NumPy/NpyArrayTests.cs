using System.IO.Compression;
using System.Text;
using CnnParity.Testing.NumPy;

namespace CnnParity.Testing.Tests.NumPy;

public class NpyArrayTests
{
    private static byte[] Npy(string header, byte[] data, int major = 1)
    {
        string dict = header + new string(' ', 64 - ((header.Length + 11) % 64)) + "\n";
        var ms = new MemoryStream();
        ms.Write([0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0]);
        if (major == 1)
        {
            ms.Write(BitConverter.GetBytes((ushort)dict.Length));
        }
        else
        {
            ms.Write(BitConverter.GetBytes((uint)dict.Length));
        }
        ms.Write(Encoding.ASCII.GetBytes(dict));
        ms.Write(data);
        return ms.ToArray();
    }

    [Fact]
    public void Reads_little_endian_c_order_float64()
    {
        double[] values = [1.5, -2, 3, 4, 5, 6];
        byte[] data = values.SelectMany(BitConverter.GetBytes).ToArray();
        var a = NpyArray.Read(new MemoryStream(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (2, 3), }", data)));
        Assert.Equal("<f8", a.Descr);
        Assert.Equal([2, 3], a.Shape);
        Assert.Equal("(2, 3)", a.ShapeText);
        Assert.Equal(values, a.ToDoubleArray());
        Assert.Throws<InvalidDataException>(() => a.ToInt64Array());
    }

    [Fact]
    public void Transposes_fortran_order_and_swaps_big_endian()
    {
        // [[1, 2, 3], [4, 5, 6]] stored column-major and big-endian int64.
        long[] fortran = [1, 4, 2, 5, 3, 6];
        byte[] data = fortran.SelectMany(v => BitConverter.GetBytes(v).Reverse()).ToArray();
        var a = NpyArray.Read(new MemoryStream(Npy("{'descr': '>i8', 'fortran_order': True, 'shape': (2, 3), }", data, major: 2)));
        Assert.Equal("<i8", a.Descr);
        Assert.Equal([1L, 2, 3, 4, 5, 6], a.ToInt64Array());
        Assert.Equal([1.0, 2, 3, 4, 5, 6], a.ToDoubleArrayWidening());
    }

    [Fact]
    public void Reads_uint8_scalars_and_rejects_garbage()
    {
        var a = NpyArray.Read(new MemoryStream(Npy("{'descr': '|u1', 'fortran_order': False, 'shape': (3,), }", [0, 1, 255])));
        Assert.Equal([0, 1, 255], a.ToByteArray());
        Assert.Equal("(3,)", a.ShapeText);
        var scalar = NpyArray.Read(new MemoryStream(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (), }", BitConverter.GetBytes(2.5))));
        Assert.Empty(scalar.Shape);
        Assert.Equal([2.5], scalar.ToDoubleArray());
        Assert.Throws<InvalidDataException>(() => NpyArray.Read(new MemoryStream(new byte[20])));
        Assert.Throws<InvalidDataException>(() => NpyArray.Read(new MemoryStream(Npy("{'descr': '<U8', 'fortran_order': False, 'shape': (1,), }", new byte[32]))));
        byte[] truncated = Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (4,), }", new byte[8]);
        Assert.Throws<InvalidDataException>(() => NpyArray.Read(new MemoryStream(truncated)));
    }

    [Fact]
    public void Reads_npz_stored_and_deflated()
    {
        foreach (CompressionLevel level in new[] { CompressionLevel.NoCompression, CompressionLevel.Optimal })
        {
            var ms = new MemoryStream();
            using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
            {
                using Stream s = zip.CreateEntry("w.npy", level).Open();
                s.Write(Npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", BitConverter.GetBytes(0.25)));
            }
            ms.Position = 0;
            var arrays = Npz.Read(ms);
            Assert.Equal([0.25], arrays["w"].ToDoubleArray());
        }
    }

    [Fact]
    public void Reads_numpy_written_npz()
    {
        // Written by np.savez_compressed (zip64 headers forced by NumPy).
        var golden = Npz.Load(Repository.PathOf("reference", "golden", "rng", "seed_1.npz"));
        NpyArray first = golden["000_random_sample_36"];
        Assert.Equal("<f8", first.Descr);
        Assert.Equal([36], first.Shape);
        Assert.Equal("<i8", golden["002_randint_0_2_400"].Descr);
    }
}
