using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// <c>(rs.random_sample((B,) + shape) &gt;= p) / (1 - p)</c> per dropout layer in spec order: with np.random.seed(1)
/// the first draws are 0.417, 0.720, 0.000114, 0.302, 0.147, 0.0923, so with p = 0.3 the first six elements keep,
/// keep, drop, keep, drop, drop.
/// </summary>
public class DropoutMasksTests
{
    [Fact]
    public void Masks_keep_draws_at_least_p_scaled_by_one_over_one_minus_p()
    {
        var spec = ArchitectureSpec.Parse("conv(c=2,k=3,s=3) dropout(p=0.3) flatten dense(12) dropout(p=0.5) dense(10)");
        DropoutMasks masks = DropoutMasks.Draw(spec, 2, new NumPyRandomState(1));
        Assert.Equal(["dropout1", "dropout2"], masks.LayerNames);
        double keep = 1.0 / (1 - 0.3);
        Assert.Equal([keep, keep, 0, keep, 0, 0], masks["dropout1"][..6]);
        Assert.Equal(2 * 2 * 9 * 9, masks["dropout1"].Length);
        Assert.Equal(2 * 12, masks["dropout2"].Length);
        Assert.All(masks["dropout2"], v => Assert.Contains(v, new[] { 0.0, 2.0 }));
        // The second layer's draws continue the same stream.
        var random = new NumPyRandomState(1);
        var skipped = new double[2 * 2 * 9 * 9];
        random.RandomSample(skipped);
        Assert.Equal(random.RandomSample() >= 0.5 ? 2.0 : 0.0, masks["dropout2"][0]);
    }

    [Fact]
    public void A_spec_without_dropout_draws_nothing()
    {
        var random = new NumPyRandomState(1);
        DropoutMasks masks = DropoutMasks.Draw(ArchitectureSpec.Parse("lenet5"), 4, random);
        Assert.Empty(masks.LayerNames);
        Assert.Equal(new NumPyRandomState(1).RandomSample(), random.RandomSample());
    }
}
