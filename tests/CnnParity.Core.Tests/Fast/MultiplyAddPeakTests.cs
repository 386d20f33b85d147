using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Fast;

/// <summary>
/// The calibration loop does the work its count says: after a number of passes its sums are exactly those of that many
/// rounded multiplies and rounded adds per lane, in order (a fused multiply-add, a skipped or an extra step would show).
/// Its speed is never asserted.
/// </summary>
public class MultiplyAddPeakTests
{
    [Theory]
    [InlineData(VectorWidth.Bits256)]
    [InlineData(VectorWidth.Bits512)]
    public void The_loop_computes_exactly_the_multiply_adds_it_counts(VectorWidth width)
    {
        const long passes = 37;
        int lanes = width == VectorWidth.Bits512 ? 8 : 4;
        double[] buffer = MultiplyAddPeak.Buffer(width);
        // Sums from zero: while a sum is a few products large, a fused multiply-add would round it differently.
        var sums = new double[MultiplyAddPeak.Chains * lanes];
        var expected = new double[sums.Length];
        int steps = 0;
        for (long pass = 0; pass < passes; pass++)
        {
            // Buffer vector v feeds chain v % Chains; lane l of a vector is lane l of its chain.
            for (int v = 0; v < MultiplyAddPeak.BufferVectors; v++)
            {
                for (int l = 0; l < lanes; l++)
                {
                    int chain = v % MultiplyAddPeak.Chains;
                    double product = buffer[v * lanes + l] * MultiplyAddPeak.Multiplier;
                    expected[chain * lanes + l] += product;
                    steps++;
                }
            }
        }
        MultiplyAddPeak.Run(width, buffer, sums, passes);
        Golden.AssertBitwise($"sums after {passes} passes at {width}", expected, sums);
        Assert.Equal(steps, MultiplyAddPeak.MultiplyAdds(passes, width));
    }

    [Fact]
    public void A_measurement_names_its_width_and_threads()
    {
        var rate = MultiplyAddPeak.Measure(2, VectorWidth.Bits256);
        Assert.Equal((VectorWidth.Bits256, 2), (rate.Width, rate.Threads));
        Assert.True(rate.PerSecondPerThread > 0 && double.IsFinite(rate.PerSecondPerThread));
    }
}
