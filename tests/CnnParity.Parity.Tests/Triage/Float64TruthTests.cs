using CnnParity.Parity.Triage;
using CnnParity.Testing;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>Two float64 opinions that agree make the truth; the third, if it disagrees, is the one blamed.</summary>
public class Float64TruthTests
{
    static readonly Tolerance Strict = new("strict", 1e-12, 1e-13, "test");
    static readonly double[] Right = [1.0, -2.0, 3.5];
    static readonly double[] Off = [1.0, -2.001, 3.5];

    static (string Truth, IReadOnlyList<SideDistance> Sides) Decide(double[] reference, double[] engine, double[] twin)
    {
        var judge = new Float64Truth(["float64 reference", "engine", "twin"], Strict);
        judge.Add([reference, engine, twin]);
        return judge.Decide();
    }

    [Fact]
    public void All_three_agree()
    {
        var (truth, sides) = Decide(Right, Right, [1.0, -2.0 + 1e-15, 3.5]);
        Assert.Equal("float64 reference (agrees with engine and twin)", truth);
        Assert.All(sides, s => Assert.True(s.Within));
    }

    [Theory]
    [InlineData(1, "engine")]
    [InlineData(2, "twin")]
    public void The_side_that_disagrees_with_the_other_two_is_blamed(int wrong, string blamed)
    {
        var (truth, sides) = wrong == 1 ? Decide(Right, Off, Right) : Decide(Right, Right, Off);
        Assert.StartsWith("float64 reference (agrees with ", truth);
        var bad = Assert.Single(sides, s => !s.Within);
        Assert.Equal(blamed, bad.Side);
        Assert.Equal(1, bad.Index);
        Assert.Equal(0.001, bad.Distance, 1e-12);
    }

    [Fact]
    public void A_reference_that_disagrees_with_an_agreeing_engine_and_twin_is_blamed()
    {
        var (truth, sides) = Decide(Off, Right, Right);
        Assert.Equal("engine (agrees with twin)", truth);
        Assert.Equal("float64 reference", Assert.Single(sides, s => !s.Within).Side);
    }

    [Fact]
    public void With_no_two_in_agreement_there_is_no_truth_and_both_sides_are_blamed()
    {
        var (truth, sides) = Decide(Right, Off, [1.0, -2.002, 3.5]);
        Assert.StartsWith("none: no two float64 opinions agree", truth);
        Assert.All(sides, s => Assert.False(s.Within));
    }
}
