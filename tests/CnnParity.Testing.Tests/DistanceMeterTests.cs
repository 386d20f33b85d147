using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

public class DistanceMeterTests
{
    static readonly Tolerance Tight = new("tight", 1e-9, 0, "test");

    [Fact]
    public void MeasuresMaximaBitwiseEqualityAndWhereTheWorstIs()
    {
        double[] expected = [1, 2, 4, 0, 8];
        double[] actual = [1, 2.5, 4, 1e-300, Math.BitIncrement(8.0)];
        var d = DistanceMeter.Measure(actual, expected, Tight);
        Assert.Equal(0.5, d.MaxAbs);
        Assert.Equal(double.PositiveInfinity, d.MaxRel);  // 1e-300 against an exact 0
        Assert.Equal(5, d.Count);
        Assert.Equal(2, d.BitwiseEqual);
        Assert.Equal(1, d.MaxAbsAt!.Index);
        Assert.Equal(2, d.Mismatched); // the last element is one ULP off, well inside rtol
        Assert.Equal(1, d.GreatestAbsoluteMismatch!.Index);
        Assert.Equal(3, d.GreatestRelativeMismatch!.Index);
        Assert.Equal(Ulp.Distance(1e-300, 0.0), d.MaxUlp);
        Assert.Equal(0.4, d.BitwiseEqualFraction);
    }

    [Fact]
    public void ChunksGiveTheSameResultAsOneArrayWithIndicesContinued()
    {
        var rng = new Random(7);
        var a = Enumerable.Range(0, 1000).Select(_ => rng.NextDouble()).ToArray();
        var b = a.Select((x, i) => i % 7 == 0 ? x * (1 + 1e-6 * rng.NextDouble()) : x).ToArray();
        var whole = DistanceMeter.Measure(a, b, Tight);
        var meter = new DistanceMeter(Tight);
        for (int start = 0; start < a.Length; start += 300)
            meter.Add(a.AsSpan(start, Math.Min(300, a.Length - start)), b.AsSpan(start, Math.Min(300, a.Length - start)));
        Assert.Equal(whole, meter.Result);
        Assert.False(meter.Pass);
    }

    [Fact]
    public void NonFiniteValuesMakeTheDistanceInfiniteAndNeverPass()
    {
        var meter = new DistanceMeter(Tight);
        meter.Add([1.0, double.NaN], [1.0, 2.0]);
        Assert.Equal(double.PositiveInfinity, meter.Result.MaxAbs);
        Assert.Equal(long.MaxValue, meter.Result.MaxUlp);
        Assert.Equal(1, meter.Result.MaxAbsAt!.Index);
        Assert.Null(meter.Result.GreatestUlpMismatch); // no finite mismatch to count ULPs on
        Assert.False(meter.Pass);
    }

    [Fact]
    public void PassNeedsAtLeastOneElementAndFloat32UlpsAreCountedInFloat32()
    {
        Assert.False(new DistanceMeter(Tight).Pass);
        var d = DistanceMeter.Measure([(double)MathF.BitIncrement(1f)], [1.0], null, ScalarType.Float32);
        Assert.Equal(1, d.MaxUlp);
        Assert.Equal(0, d.Mismatched);
        Assert.True(DistanceMeter.Within([1.0, 2.0], [1.0, 2.0], Tight));
        Assert.False(DistanceMeter.Within([1.0, 2.0], [1.0], Tight));
    }
}
