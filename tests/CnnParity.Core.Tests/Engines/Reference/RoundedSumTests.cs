using CnnParity.Core.Engines.Reference;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines.Reference;

/// <summary>
/// The rounding model against real float32 arithmetic: sums of many kinds (random signs, one sign, long and short,
/// in order and in shuffled orders) computed in float32 land within a few carried σ of the float64 sum, and the carried
/// σ is no smaller than the spread float32 really shows.
/// </summary>
public class RoundedSumTests
{
    const double U = 1.0 / (1 << 24);

    [Theory]
    [InlineData(10, true)]
    [InlineData(10, false)]
    [InlineData(400, true)]
    [InlineData(400, false)]
    [InlineData(10000, true)]
    [InlineData(10000, false)]
    public void Float32_sums_in_any_order_stay_within_the_carried_sigma(int n, bool mixedSigns)
    {
        var random = new NumPyRandomState((uint)n);
        double worst = 0, squares = 0, carried = 0;
        const int trials = 200;
        for (int trial = 0; trial < trials; trial++)
        {
            var a = new float[n];
            var b = new float[n];
            for (int i = 0; i < n; i++)
            {
                a[i] = (float)(mixedSigns ? 2 * random.RandomSample() - 1 : random.RandomSample());
                b[i] = (float)random.RandomSample();
            }
            var sum = new RoundedSum();
            for (int i = 0; i < n; i++) sum.AddProduct(a[i], b[i], 0);
            double sigma = U * Math.Sqrt(sum.Variance);
            // float32 in the stated order, and in a shuffled one (another implementation's order)
            foreach (var order in new[] { Enumerable.Range(0, n).ToArray(), Shuffled(n, random) })
            {
                float s = 0;
                foreach (int i in order) s += a[i] * b[i];
                double error = Math.Abs(s - sum.Value) / sigma;
                worst = Math.Max(worst, error);
                squares += error * error;
            }
            carried++;
        }
        double rms = Math.Sqrt(squares / (2 * carried));
        Assert.True(worst < 4, $"a float32 sum landed {worst:F2} carried σ away");
        Assert.True(rms < 1, $"the carried σ underestimates: the errors' RMS is {rms:F2} σ");
    }

    [Fact]
    public void Sums_of_one_sign_round_more_than_sums_that_cancel()
    {
        var same = new RoundedSum();
        var mixed = new RoundedSum();
        for (int i = 0; i < 1000; i++)
        {
            same.AddTerm(1, 0);
            mixed.AddTerm(i % 2 == 0 ? 1 : -1, 0);
        }
        Assert.True(same.Variance > 100 * mixed.Variance);
    }

    [Fact]
    public void Propagated_variance_adds_through_the_products()
    {
        var sum = new RoundedSum();
        sum.AddProduct(3, 2, varianceA: 1, varianceB: 4); // 3²·4 + 2²·1 = 40 propagated
        Assert.True(sum.Variance >= 40);
        Assert.Equal(6, sum.Value);
        Assert.Equal(0, new RoundedSum().Variance);
    }

    static int[] Shuffled(int n, NumPyRandomState random)
    {
        var order = Enumerable.Range(0, n).ToArray();
        for (int i = n - 1; i > 0; i--)
        {
            int j = (int)(random.RandomSample() * (i + 1));
            (order[i], order[j]) = (order[j], order[i]);
        }
        return order;
    }
}
