using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The initialisation recipe, <c>(2 * rs.random_sample(shape) - 1) / np.sqrt(fan_in)</c> per parameter in state_dict
/// order, against values worked out by hand from the first draws of <c>np.random.seed(1)</c> (0.417022004702574,
/// 0.7203244934421581, ..., the 20th 0.1981014890848788) and against NumPy's own results for the same recipe.
/// </summary>
public class ParameterSetTests
{
    private static readonly ArchitectureSpec Spec = ArchitectureSpec.Parse("conv(c=2,k=3) flatten dense(10)");

    [Fact]
    public void Initialize_draws_in_state_dict_order_with_bound_one_over_root_fan_in()
    {
        ParameterSet<double> p = ParameterSet<double>.Initialize(Spec, new NumPyRandomState(1));
        Assert.Equal(["conv1.weight", "conv1.bias", "dense1.weight", "dense1.bias"], p.Specs.Select(s => s.Name));
        // conv1.weight (2,1,3,3): fan_in 9, bound 1/3; its first value is the first draw.
        Assert.Equal((2 * 0.417022004702574 - 1) * (1 / Math.Sqrt(9)), p["conv1.weight"][0]);
        Assert.Equal((2 * 0.7203244934421581 - 1) * (1 / Math.Sqrt(9)), p["conv1.weight"][1]);
        // conv1.bias (2,): fan_in 9 too; its second value is the 20th draw (18 weights before it).
        Assert.Equal((2 * 0.1981014890848788 - 1) * (1 / Math.Sqrt(9)), p["conv1.bias"][1]);
        // NumPy's results for the same recipe (np.random.seed(1), then the four draws in order).
        Assert.Equal(-0.05531866353161733, p["conv1.weight"][0]);
        Assert.Equal(-0.20126567394341413, p["conv1.bias"][1]);
        Assert.Equal(0.016358347993499642, p["dense1.weight"][0]);
        Assert.Equal(0.013238657460381819, p["dense1.weight"][^1]);
        // dense1.weight (10, 2·26·26): fan_in 1352.
        Assert.Equal(10 * 1352, p["dense1.weight"].Length);
        Assert.All(p["dense1.weight"], v => Assert.InRange(Math.Abs(v), 0, 1 / Math.Sqrt(1352)));
    }

    [Fact]
    public void Conversions_round_once_and_copies_are_independent()
    {
        ParameterSet<double> p = ParameterSet<double>.Initialize(Spec, new NumPyRandomState(1));
        ParameterSet<float> f = p.ToFloat32();
        Assert.Equal((float)p["dense1.weight"][5], f["dense1.weight"][5]);
        Assert.Equal((double)f["conv1.bias"][0], f.ToFloat64()["conv1.bias"][0]);
        ParameterSet<double> clone = p.Clone();
        clone["conv1.weight"][0] = 42;
        Assert.NotEqual(42, p["conv1.weight"][0]);
        Assert.Throws<ArgumentException>(() => p["conv9.weight"]);
        Assert.All(ParameterSet<double>.Zeros(Spec)["dense1.bias"], v => Assert.Equal(0.0, v));
    }
}
