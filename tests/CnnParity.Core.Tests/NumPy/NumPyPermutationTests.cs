using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.NumPy;

/// <summary>
/// <see cref="NumPyRandomState.Permutation"/> against NumPy 1.24.2's legacy <c>RandomState.permutation</c>. The literals
/// were printed by /usr/bin/python3 (NumPy 1.24.2):
/// <code>
/// r = np.random.RandomState(1); r.permutation(10).tolist(); p = r.permutation(60000)
/// p[:20].tolist(); p[-5:].tolist(); int((p * np.arange(60000)).sum()); repr(r.random_sample())
/// </code>
/// </summary>
public class NumPyPermutationTests
{
    [Fact]
    public void Ten_then_sixty_thousand_match_numpy_and_leave_the_stream_where_numpy_leaves_it()
    {
        var random = new NumPyRandomState(1);
        Assert.Equal([2, 9, 6, 4, 0, 3, 1, 7, 8, 5], random.Permutation(10));

        int[] order = random.Permutation(60000);
        Assert.Equal([3971, 46215, 39375, 51884, 16318, 54460, 35510, 32853, 7533, 1103, 44547, 36171, 35340, 45695, 18708,
            27061, 17612, 55759, 35432, 1113], order[..20]);
        Assert.Equal([32025, 36230, 31228, 43757, 7751], order[^5..]);
        long checksum = 0;
        for (int i = 0; i < order.Length; i++)
        {
            checksum += (long)order[i] * i;
        }
        Assert.Equal(54124220000405L, checksum);
        Assert.Equal(Enumerable.Range(0, 60000), order.Order());
        Assert.Equal(0.9753423365605057, random.RandomSample()); // 0x1.f360121bdcfa5p-1: repr round-trips the bits
    }

    [Fact]
    public void Zero_one_and_two_match_numpy_and_zero_and_one_draw_nothing()
    {
        // r = RandomState(1); r.permutation(0), r.permutation(1), r.permutation(2) -> [], [0], [0, 1]; then random_sample().
        var random = new NumPyRandomState(1);
        Assert.Empty(random.Permutation(0));
        Assert.Equal([0], random.Permutation(1));
        Assert.Equal([0, 1], random.Permutation(2));
        Assert.Equal(0.9971848109388686, random.RandomSample());

        var untouched = new NumPyRandomState(5);
        var drawn = new NumPyRandomState(5);
        drawn.Permutation(0);
        drawn.Permutation(1);
        Assert.Equal(untouched.NextUInt32(), drawn.NextUInt32());
    }

    [Fact]
    public void Interleaved_with_randint_as_a_training_loop_draws_it()
    {
        // r = RandomState(42); r.permutation(7); r.randint(0, 2, size=5); r.permutation(3); r.random_sample()
        var random = new NumPyRandomState(42);
        Assert.Equal([0, 1, 5, 2, 4, 3, 6], random.Permutation(7));
        var mask = new long[5];
        random.RandInt(0, 2, mask);
        Assert.Equal([0L, 0, 0, 1, 0], mask);
        Assert.Equal([1, 0, 2], random.Permutation(3));
        Assert.Equal(0.45924889196586716, random.RandomSample());
    }
}
