using CnnParity.Core.NumPy;
using CnnParity.Testing.NumPy;

namespace CnnParity.Core.Tests.NumPy;

public class NumPyRandomStateTests
{
    public static TheoryData<uint> Seeds => [0u, 1u, 42u, uint.MaxValue];

    /// <summary>Replays every call recorded by reference/make_rng_goldens.py, in order, and compares bits.</summary>
    [Theory]
    [MemberData(nameof(Seeds))]
    public void Stream_matches_numpy_golden_bit_for_bit(uint seed)
    {
        var golden = Npz.Load(Golden.PathOf("rng", $"seed_{seed}.npz"));
        var rs = new NumPyRandomState(seed);
        Assert.True(golden.Count >= 20);
        foreach ((string key, NpyArray array) in golden.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            string[] p = key.Split('_');
            string call = string.Join('_', p.Skip(1).TakeWhile(s => !char.IsDigit(s[0]) && s[0] != '-'));
            long[] args = p.Skip(1).SkipWhile(s => !char.IsDigit(s[0]) && s[0] != '-').Select(long.Parse).ToArray();
            switch (call)
            {
                case "random_sample":
                    {
                        var actual = new double[args[0]];
                        rs.RandomSample(actual);
                        Golden.AssertBitwise($"seed {seed} {key}", array.ToDoubleArray(), actual);
                        break;
                    }
                case "random_sample_scalar":
                    Golden.AssertBitwise($"seed {seed} {key}", array.ToDoubleArray(), [rs.RandomSample()]);
                    break;
                case "randint":
                    {
                        var actual = new long[args[2]];
                        rs.RandInt(args[0], args[1], actual);
                        Assert.True(array.ToInt64Array().SequenceEqual(actual), $"seed {seed} {key}: integers differ");
                        break;
                    }
                case "randint_scalar":
                    Assert.Equal(array.ToInt64Array()[0], rs.RandInt(args[0], args[1]));
                    break;
                default:
                    Assert.Fail($"unknown call in golden key {key}");
                    break;
            }
        }
    }

    [Fact]
    public void Seeding_is_init_genrand()
    {
        // Matsumoto and Nishimura's mt19937ar.c reference output for init_genrand(5489) starts 3499211612.
        var rs = new NumPyRandomState(5489);
        Assert.Equal(3499211612u, rs.NextUInt32());
        Assert.Equal(581869302u, rs.NextUInt32());
    }

    [Fact]
    public void RandInt_2_takes_one_word_per_element_and_double_overload_draws_the_same()
    {
        var a = new NumPyRandomState(7);
        var b = new NumPyRandomState(7);
        var c = new NumPyRandomState(7);
        var asLong = new long[1000];
        var asDouble = new double[1000];
        a.RandInt(0, 2, asLong);
        b.RandInt(0, 2, asDouble);
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(asLong[i], (long)asDouble[i]);
            Assert.Equal((long)(c.NextUInt32() & 1), asLong[i]);
        }
        Assert.Equal(a.NextUInt32(), c.NextUInt32());
    }

    [Fact]
    public void Empty_range_draws_nothing_and_bad_range_throws()
    {
        var a = new NumPyRandomState(3);
        var b = new NumPyRandomState(3);
        Assert.Equal(5, a.RandInt(5, 6));
        Assert.Equal(b.NextUInt32(), a.NextUInt32());
        Assert.Throws<ArgumentOutOfRangeException>(() => a.RandInt(3, 3));
    }

    [Fact]
    public void Clone_continues_the_same_stream()
    {
        var a = new NumPyRandomState(11);
        a.RandomSample(new double[700]);
        var b = a.Clone();
        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(a.NextUInt32(), b.NextUInt32());
        }
    }
}
