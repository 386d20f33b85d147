using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>
/// The float64 truth's verdicts on hand-made tensors: the side off the truth is blamed, whichever it is and however
/// the float64 results disagree; a kink taken the other way by rounding passes, one taken far from the kink fails.
/// </summary>
public class TruthJudgeTests
{
    static readonly long[] Shape = [2, 4];

    /// <summary>A truth and float32-like roundings of it on each side (a few parts in 1e8).</summary>
    static (double[] T, double[] G, double[] P) Tensors()
    {
        double[] t = [0.5, -1.25, 2.0, 0.75, 3.5, -0.125, 1.0, 0.0625];
        return (t, [.. t.Select((x, i) => x * (1 + 3e-8 * (i % 3)))], [.. t.Select((x, i) => x * (1 - 2e-8 * (i % 2)))]);
    }

    static ParityCheck Judge(string stage, double[] g32, double[] g64, double[] p32, double[] p64, long portFlips = 0) =>
        TruthJudge.Judge(stage, "layer", Shape, ScalarType.Float32, Tolerance.Float32, new TruthJudge.Values(g32, g64, p32, p64), portFlips, 0);

    [Fact]
    public void BothSidesNearTheTruthPass()
    {
        var (t, g, p) = Tensors();
        var check = Judge("forward", g, t, p, t);
        Assert.True(check.Pass);
        Assert.True(check.Truth!.Float64Agrees);
        Assert.Null(check.Truth.Blamed);
        Assert.True(check.Truth.Port.RatioToBound < 1);
    }

    [Fact]
    public void APerturbedGoldenTensorIsBlamedOnTheGolden()
    {
        var (t, g, p) = Tensors();
        g[5] += 2e-3;
        var check = Judge("gradient", g, t, p, t);
        Assert.False(check.Pass);
        Assert.Equal("golden", check.Truth!.Blamed);
        Assert.StartsWith("golden layer (f32): 0.002 from the float64 truth at (1, 1), ", check.Truth.Reason);
        Assert.EndsWith("× its rounding bound; port: 2.50e-8 (within)", check.Truth.Reason);
    }

    [Fact]
    public void APortComputingAnotherFunctionIsBlamedOnThePort()
    {
        var (t, g, p) = Tensors();
        p[2] += 2e-3;
        double[] p64 = [.. t];
        p64[2] += 2e-3;
        var check = Judge("forward", g, t, p, p64);
        Assert.Equal("port", check.Truth!.Blamed);
        Assert.False(check.Truth.Float64Agrees);
        Assert.StartsWith("port layer: computes another function (the float64 port is 0.002 from the float64 golden at (0, 2);", check.Truth.Reason);
    }

    [Fact]
    public void AWrongShadowIsBlamedOnTheGolden()
    {
        var (t, g, p) = Tensors();
        double[] shadow = [.. t];
        shadow[0] += 1e-3;
        var check = Judge("forward", g, shadow, p, t);
        Assert.Equal("golden", check.Truth!.Blamed);
        Assert.StartsWith("golden layer: its float64 shadow is off", check.Truth.Reason);
    }

    [Fact]
    public void APortWhoseFloat64PathAloneIsOffIsBlamedOnThatPath()
    {
        var (t, g, p) = Tensors();
        double[] p64 = [.. t];
        p64[7] += 1e-3;
        var check = Judge("forward", g, t, p, p64);
        Assert.Equal("port", check.Truth!.Blamed);
        Assert.StartsWith("port layer (float64 path): ", check.Truth.Reason);
    }

    [Fact]
    public void AKinkTakenTheOtherWayWithinRoundingIsCountedAndPasses()
    {
        double[] t = [1e-9, 0, 0.5, 2];     // float64: just above ReLU's kink
        double[] g = [1e-9, 0, 0.5, 2];     // PyTorch's float32 rounded the same way
        double[] p = [0, 0, 0.5, 2];        // the port's float32 sum rounded to 0: ReLU took the other branch
        var check = TruthJudge.Judge("forward", "relu", [4], ScalarType.Float32, Tolerance.Float32, new TruthJudge.Values(g, t, p, t), 0, 0);
        Assert.True(check.Pass);
        Assert.Equal(1, check.Truth!.Port.DecidedByRounding);
        Assert.Equal(1, check.Truth.DecidedByRounding);
    }

    [Fact]
    public void AKinkFarFromRoundingFails()
    {
        double[] t = [0.25, 0, 0.5, 2];
        double[] p = [0, 0, 0.5, 2];
        var check = TruthJudge.Judge("forward", "relu", [4], ScalarType.Float32, Tolerance.Float32, new TruthJudge.Values(t, t, p, t), 0, 0);
        Assert.Equal("port", check.Truth!.Blamed);
        Assert.Equal(0, check.Truth.Port.DecidedByRounding);
    }

    [Fact]
    public void AGradientMovedByAFlipPassesOnlyWhenItsFloat64CheckPasses()
    {
        var (t, g, p) = Tensors();
        p[1] = 0; // the gradient a flipped ReLU mask cut off
        var excused = Judge("gradient", g, t, p, t, portFlips: 3);
        Assert.True(excused.Pass);
        Assert.StartsWith("decided by rounding (3 elements): port 1.25 from the float64 truth", excused.Truth!.Reason);
        Assert.Equal(3, excused.Truth.DecidedByRounding);

        var unexcused = Judge("gradient", g, t, p, t, portFlips: 0);
        Assert.Equal("port", unexcused.Truth!.Blamed);

        double[] p64 = [.. t];
        p64[1] = 0; // the float64 run lost it too: no rounding explains that
        Assert.Equal("port", Judge("gradient", g, t, p, p64, portFlips: 3).Truth!.Blamed);
    }

    [Fact]
    public void ALossThatOverflowedToNaNOnAllFourSidesAgreesAndANaNOnOneSideIsThatSides()
    {
        double[] nan = [double.NaN];
        Assert.True(TruthJudge.Judge("step 2", "loss", [], ScalarType.Float32, Tolerance.Float32, new TruthJudge.Values(nan, nan, nan, nan), 0, 0).Pass);

        double[] t = [2.5];
        var golden = TruthJudge.Judge("step 2", "loss", [], ScalarType.Float32, Tolerance.Float32, new TruthJudge.Values(nan, t, t, t), 0, 0);
        Assert.Equal("golden", golden.Truth!.Blamed);
        var port = TruthJudge.Judge("step 2", "loss", [], ScalarType.Float32, Tolerance.Float32, new TruthJudge.Values(t, t, nan, t), 0, 0);
        Assert.Equal("port", port.Truth!.Blamed);
    }
}
