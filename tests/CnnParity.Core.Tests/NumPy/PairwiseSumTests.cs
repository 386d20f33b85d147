using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.NumPy;

public class PairwiseSumTests
{
    [Fact]
    public void Softmax_row_of_ten_is_unrolled_pairwise()
    {
        var rs = new NumPyRandomState(5);
        for (int t = 0; t < 10000; t++)
        {
            var e = new double[10];
            rs.RandomSample(e);
            for (int i = 0; i < 10; i++)
            {
                e[i] = Math.Exp(e[i] * 20 - 10);
            }
            double expected = (((e[0] + e[1]) + (e[2] + e[3])) + ((e[4] + e[5]) + (e[6] + e[7]))) + e[8] + e[9];
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(PairwiseSum.Sum(e)));
        }
    }

    [Fact]
    public void Short_runs_are_sequential_and_long_runs_split()
    {
        double[] a = [1e16, 1, -1e16, 1, 1, 1, 1];
        Assert.Equal(((((((0.0 + 1e16) + 1) - 1e16) + 1) + 1) + 1) + 1, PairwiseSum.Sum(a));

        var rs = new NumPyRandomState(9);
        var big = new double[1000];
        rs.RandomSample(big);
        // n = 1000 splits at 496 (500 rounded down to a multiple of 8), 496 at 248, ...
        double expected = PairwiseSum.Pairwise(big.AsSpan(0, 496)) + PairwiseSum.Pairwise(big.AsSpan(496));
        Assert.Equal(expected, PairwiseSum.Sum(big));
        Assert.Equal(0.0, PairwiseSum.Sum([]));
        Assert.False(double.IsNegative(PairwiseSum.Sum([-0.0, -0.0])), "np.sum adds to the identity +0.0");
    }
}
