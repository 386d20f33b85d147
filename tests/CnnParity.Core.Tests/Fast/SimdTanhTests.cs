using System.Runtime.Intrinsics;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Testing.NumPy;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// <see cref="SimdTanh"/> lane by lane against the scalar port <see cref="NumPyTanh"/> (itself checked against
/// np.tanh) and against NumPy's own outputs: every lookup (broadcast, gather, AVX-512 permute), every block size, both
/// vector widths on any CPU (without AVX-512 .NET runs the 512-bit kernel in software, see <see cref="VectorWidth"/>).
/// </summary>
public class SimdTanhTests
{
    private static double[] Scalar(double[] x) => x.Select(NumPyTanh.Tanh).ToArray();

    /// <summary>Inputs that exercise every interval, both signs, zeros, subnormals and NumPy's callout lanes.</summary>
    private static double[] Edges()
    {
        var values = new List<double>
        {
            0.0, -0.0, double.Epsilon, -double.Epsilon, 1e-310, -1e-300, 1e-20, 0.125, -0.125, 0.1249999999999,
            0.5, 1, -1, 2.9, 3, 10, 23.99, 24, -24, 1e10, 1e300, double.MaxValue, -double.MaxValue,
            double.PositiveInfinity, double.NegativeInfinity, double.NaN, BitConverter.Int64BitsToDouble(0x7ff0000000000001L),
            BitConverter.Int64BitsToDouble(unchecked((long)0xfff8000000000123UL)), 1.5 * Math.ScaleB(1, 1023), Math.BitDecrement(1.5 * Math.ScaleB(1, 1023)),
        };
        for (int e = -12; e <= 6; e++)
        {
            double b = Math.ScaleB(1, e);
            values.AddRange([b, Math.BitDecrement(b), Math.BitIncrement(b), -b, 1.5 * b, -1.75 * b]);
        }
        return values.ToArray();
    }

    private static double[] Drawn(uint seed, int count, Func<NumPyRandomState, double> draw)
    {
        var rs = new NumPyRandomState(seed);
        return Enumerable.Range(0, count).Select(_ => draw(rs)).ToArray();
    }

    private static readonly string[] SetNames = ["edges", "small", "mixed", "log", "bits", "intervals 0-1"];

    public static TheoryData<string> Sets => new(SetNames);

    public static TheoryData<string, VectorWidth> SetsAndWidths
    {
        get
        {
            var data = new TheoryData<string, VectorWidth>();
            foreach (string set in SetNames)
            {
                data.Add(set, VectorWidth.Bits256);
                data.Add(set, VectorWidth.Bits512);
            }
            return data;
        }
    }

    private static double[] Set(string name) => name switch
    {
        "edges" => Edges(),
        "small" => Drawn(1, 40_000, rs => (rs.RandomSample() - 0.5) * 0.2),
        "mixed" => Drawn(2, 40_000, rs => (rs.RandomSample() - 0.5) * 60),
        "log" => Drawn(3, 40_000, rs => Math.ScaleB(rs.RandomSample() * 2 - 1, (int)rs.RandInt(-60, 12))),
        "bits" => Drawn(4, 40_000, rs => BitConverter.Int64BitsToDouble((long)rs.NextUInt64())),
        _ => Drawn(5, 40_000, rs => (rs.RandomSample() - 0.5) * 0.5),
    };

    [Theory]
    [MemberData(nameof(SetsAndWidths))]
    public void Span_kernel_has_the_scalar_ports_bits(string set, VectorWidth width)
    {
        double[] x = Set(set);
        double[] expected = Scalar(x);
        // Every length modulo the 64- and 32-value blocks and the 8- and 4-value vectors, and every offset of the start.
        foreach (int length in new[] { x.Length, 1, 3, 4, 5, 7, 8, 9, 31, 32, 33, 63, 64, 65, 100, 127, 128, 129 })
        {
            for (int start = 0; start < 3; start++)
            {
                int n = Math.Min(length, x.Length - start);
                var y = new double[n];
                SimdTanh.Tanh(x.AsSpan(start, n), y, width);
                Golden.AssertBitwise($"{set} [{start}..+{n}] at {width}", expected.AsSpan(start, n), y);
            }
        }
        double[] inPlace = (double[])x.Clone();
        SimdTanh.Tanh(inPlace, inPlace, width);
        Golden.AssertBitwise($"{set} in place at {width}", expected, inPlace);
    }

    [SkippableTheory]
    [MemberData(nameof(Sets))]
    public void Four_lane_kernel_has_the_scalar_ports_bits(string set)
    {
        Skip.IfNot(SimdTanh.UseVector256, "no AVX2 + FMA");
        double[] x = Set(set);
        var y = new double[x.Length & ~3];
        for (int i = 0; i < y.Length; i += 4)
        {
            SimdTanh.Tanh(Vector256.Create(x.AsSpan(i, 4))).CopyTo(y, i);
        }
        Golden.AssertBitwise(set, Scalar(x).AsSpan(0, y.Length), y);
    }

    [Theory]
    [MemberData(nameof(Sets))]
    public void Eight_lane_kernel_has_the_scalar_ports_bits(string set)
    {
        // Without AVX-512 this runs in software, the permute as two shuffles: the same table entries, the same FMAs.
        double[] x = Set(set);
        var y = new double[x.Length & ~7];
        for (int i = 0; i < y.Length; i += 8)
        {
            SimdTanh.Tanh(Vector512.Create(x.AsSpan(i, 8))).CopyTo(y, i);
        }
        Golden.AssertBitwise(set, Scalar(x).AsSpan(0, y.Length), y);
    }

    [Theory]
    [InlineData(VectorWidth.Bits256)]
    [InlineData(VectorWidth.Bits512)]
    public void Numpy_goldens_hold_for_the_simd_kernel(VectorWidth width)
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "tanh.npz"));
        foreach (string set in new[] { "edge", "bits", "wide", "narrow", "log" })
        {
            double[] x = golden[$"{set}_x"].ToDoubleArray();
            var y = new double[x.Length];
            SimdTanh.Tanh(x, y, width);
            Golden.AssertBitwise($"np.tanh {set} at {width}", golden[$"{set}_y"].ToDoubleArray(), y);
        }
    }

    [Theory]
    [InlineData(VectorWidth.Bits256)]
    [InlineData(VectorWidth.Bits512)]
    public void Four_million_numpy_inputs_give_numpys_outputs(VectorWidth width)
    {
        var golden = Npz.Load(Golden.PathOf("numeric", "tanh.npz"));
        Dictionary<string, double[]> sets = Golden.DrawSets(20240, 1_000_000, 64.0, 4.0, -60, 12);
        foreach ((string set, int count, string sha) in Golden.ReadSets(Golden.PathOf("numeric", "tanh_sets.txt")))
        {
            double[] x = sets[set];
            Golden.AssertBitwise($"tanh {set} inputs", golden[$"{set}_x"].ToDoubleArray(), x.AsSpan(0, 1000));
            var y = new double[count];
            SimdTanh.Tanh(x, y, width);
            Assert.True(Golden.Sha256(y) == sha, $"np.tanh set '{set}': the SHA-256 of {count} SIMD outputs at {width} differs from NumPy's");
        }
    }
}
