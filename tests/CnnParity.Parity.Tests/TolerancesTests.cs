using CnnParity.Testing;

namespace CnnParity.Parity.Tests;

public class TolerancesTests
{
    /// <summary>Below assert_close's atol the named float32 tolerance holds; above it, four times the measured rounding.</summary>
    [Fact]
    public void TheDeployedToleranceIsAssertCloseOrFourTimesTheEnginesOwnRounding()
    {
        var small = Tolerances.DeployedFloat32("logits", 1e-6);
        Assert.Equal("deployed-f32-logits", small.Name);
        Assert.Equal((Tolerance.Float32.Rtol, Tolerance.Float32.Atol), (small.Rtol, small.Atol));
        Assert.Contains("1.00e-6", small.Why);

        var grown = Tolerances.DeployedFloat32("probabilities", 8.55e-5);
        Assert.Equal("deployed-f32-probabilities", grown.Name);
        Assert.Equal(4 * 8.55e-5, grown.Atol, 1e-20);
        Assert.Equal(Tolerance.Float32.Rtol, grown.Rtol);
        Assert.StartsWith("4× the float32 engine's own rounding of the probabilities", grown.Why);
        Assert.False(grown.Accepts(1 + 4 * 8.55e-5 + 1e-5, 1));

        // A rounding that is not a number (a blown-up run) widens nothing.
        Assert.Equal(Tolerance.Float32.Atol, Tolerances.DeployedFloat32("logits", double.NaN).Atol);
    }
}
