using System.Runtime.InteropServices;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.NumPy;

/// <summary>
/// <see cref="NumPyTanhFloat32"/> against this machine's float32 np.tanh (reference/make_float32_goldens.py): the edge
/// list (interval boundaries, the callout threshold, infinities, NaNs) element by element, then three million drawn
/// inputs through the SHA-256 of their outputs.
/// </summary>
public class Float32TanhGoldenTests
{
    private const uint Seed = 20241;
    private const int Count = 1_000_000;

    private static float[] Floats(NpyArray array)
    {
        Assert.Equal("<f4", array.Descr);
        return MemoryMarshal.Cast<byte, float>(array.Data).ToArray();
    }

    private static void AssertBitwise(string name, float[] expected, float[] actual)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitConverter.SingleToInt32Bits(expected[i]) == BitConverter.SingleToInt32Bits(actual[i]),
                $"{name}[{i}]: NumPy 0x{BitConverter.SingleToInt32Bits(expected[i]):x8}, C# 0x{BitConverter.SingleToInt32Bits(actual[i]):x8}");
        }
    }

    [Fact]
    public void Listed_inputs_match_numpy_bit_for_bit()
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "tanh_f32.npz"));
        foreach (string set in new[] { "edge", "bits", "wide", "narrow" })
        {
            float[] x = Floats(golden[$"{set}_x"]);
            AssertBitwise($"np.tanh float32 {set}", Floats(golden[$"{set}_y"]), x.Select(NumPyTanhFloat32.Tanh).ToArray());
        }
    }

    [Fact]
    public void Three_million_drawn_inputs_match_numpy_bit_for_bit()
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "tanh_f32.npz"));
        var random = new NumPyRandomState(Seed);
        var raw = new long[Count];
        random.RandInt(0, 1L << 32, raw);
        var sets = new Dictionary<string, float[]>
        {
            ["bits"] = raw.Select(v => BitConverter.Int32BitsToSingle(unchecked((int)(uint)v))).ToArray(),
            ["wide"] = Draw(random, 64),
            ["narrow"] = Draw(random, 4),
        };
        foreach ((string set, int count, string sha) in Golden.ReadSets(Golden.PathOf("numeric", "tanh_f32_sets.txt")))
        {
            float[] x = sets[set];
            Assert.Equal(count, x.Length);
            AssertBitwise($"{set} inputs", Floats(golden[$"{set}_x"]), x[..1000]);
            var y = new float[x.Length];
            CnnParity.Core.NumPy.Simd.SimdTanhFloat32.Tanh(x, y);
            string actual = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(MemoryMarshal.AsBytes(y.AsSpan())));
            Assert.True(actual == sha, $"np.tanh float32 set '{set}': the SHA-256 of {count} outputs differs from NumPy's");
        }

        static float[] Draw(NumPyRandomState random, double scale)
        {
            var x = new float[Count];
            for (int i = 0; i < Count; i++)
            {
                x[i] = (float)(random.RandomSample() * scale - scale / 2);
            }
            return x;
        }
    }

    [Fact]
    public void It_differs_from_mathf_tanh_which_is_why_it_is_ported()
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "tanh_f32.npz"));
        float[] x = Floats(golden["narrow_x"]);
        Assert.Contains(x, v => NumPyTanhFloat32.Tanh(v) != MathF.Tanh(v));
    }
}
