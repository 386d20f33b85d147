using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch.Fast;

namespace CnnParity.Core.Tests.Fast;

/// <summary>The fast mask draw is <c>randint(2, size)</c> of the same stream, and leaves the stream where NumPy leaves it.</summary>
public class DropoutMaskTests
{
    [Theory]
    [InlineData(0u, 1)]
    [InlineData(1u, 623)]
    [InlineData(42u, 624)]
    [InlineData(7u, 625)]
    [InlineData(4294967295u, 128 * 26 * 26 * 4)]
    [InlineData(3u, 5000)]
    public void Draw_is_randint_two_and_the_stream_continues_alike(uint seed, int length)
    {
        var fast = new NumPyRandomState(seed);
        var reference = new NumPyRandomState(seed);
        // Start the draws at an arbitrary place in the state, as after the initialisation.
        for (int i = 0; i < 337; i++)
        {
            fast.RandomSample();
            reference.RandomSample();
        }
        var mask = new byte[length];
        var expected = new double[length];
        for (int round = 0; round < 3; round++)
        {
            DropoutMask.Draw(fast, mask);
            reference.RandInt(0, 2, expected);
            Assert.Equal(expected, mask.Select(b => (double)b));
            Assert.Equal(reference.NextUInt32(), fast.NextUInt32());
        }
    }

    [Fact]
    public void Twist_regenerates_the_state_as_the_scalar_generator()
    {
        var rs = new NumPyRandomState(5489);
        var words = Enumerable.Range(0, 3 * Mt19937Block.N + 11).Select(_ => rs.NextUInt32()).ToArray();
        // Rebuild: seed, twist, temper; compare with the scalar stream.
        var state = new uint[Mt19937Block.N];
        uint s = 5489;
        for (int i = 0; i < Mt19937Block.N; i++)
        {
            state[i] = s;
            s = unchecked(1812433253U * (s ^ (s >> 30)) + (uint)i + 1U);
        }
        var produced = new List<uint>();
        while (produced.Count < words.Length)
        {
            Mt19937Block.Twist(state);
            produced.AddRange(state.Select(Mt19937Block.Temper));
        }
        Assert.Equal(words, produced.Take(words.Length));
    }

    [Fact]
    public void Replayed_masks_must_be_zero_or_one()
    {
        var mask = new byte[6];
        DropoutMask.FromDoubles([0, 1, 1, 0, 0, 1], mask);
        Assert.Equal(new byte[] { 0, 1, 1, 0, 0, 1 }, mask);
        Assert.Throws<ArgumentException>(() => DropoutMask.FromDoubles([0, 1, 0.5, 0, 0, 1], mask));
        Assert.Throws<ArgumentException>(() => DropoutMask.FromDoubles([0, 1, 1, 0, -0.0, 1], mask));
        Assert.Throws<ArgumentException>(() => DropoutMask.FromDoubles([0, 1, 1, 0, 0, 2], mask));
    }
}
