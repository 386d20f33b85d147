using CnnParity.Core;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Tests.Triage;

public class RoundingBoundTests
{
    [Fact]
    public void The_bound_is_eight_carried_sigmas_at_the_dtypes_unit_roundoff_plus_the_truths_last_bits()
    {
        var truth = new Carried([3.0, 0.0], [100.0, 0.0]);
        double u = Math.ScaleB(1, -24);
        Assert.Equal(8 * u * 10 + 8 * Math.ScaleB(1, -53) * 3 + 4 * double.Epsilon, RoundingBound.Of(truth, 0, Dtype.Float32), 1e-25);
        Assert.True(RoundingBound.Of(truth, 0, Dtype.Float64) < RoundingBound.Of(truth, 0, Dtype.Float32) * 1e-8);
        // An exact zero is bounded by (almost) nothing: a side that is not exactly 0 there is beyond it.
        Assert.True(RoundingBound.Of(truth, 1, Dtype.Float32) < 1e-300);
    }

    [Fact]
    public void A_meter_keeps_the_worst_element_in_bounds_and_counts_those_outside()
    {
        var truth = new Carried([1.0, 2.0, 3.0], [1e6, 1e6, 1e6]);
        var meter = new TruthMeter("twin");
        meter.Add([1.0, 2.0 + 1e-5, 3.0 + 1e-3], truth, Dtype.Float32, offset: 10);
        var result = meter.Result();
        Assert.Equal(12, result.Index);
        Assert.Equal(1e-3, result.Distance, 1e-12);
        Assert.Equal(1, result.Outside); // 8·u·1000 ≈ 4.8e-4: 1e-5 is inside, 1e-3 outside
        Assert.False(result.Within);
        meter.Add([double.NaN], new Carried([0.0], [1.0]), Dtype.Float32, offset: 13);
        Assert.True(double.IsPositiveInfinity(meter.Result().Ratio));
    }
}
