using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Tests.Specs;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>
/// A ReLU whose input sits within rounding of 0 is decided by float32 either way. The float32 engine (no fused
/// multiply-add) computes w·x + b as fl(fl(w·x) + b); with b = −fl(w·x) it gets exactly 0 and closes the ReLU, while the
/// float64 truth sees w·x − fl(w·x), the product's own rounding error, chosen positive: the ReLU is open. The gradients
/// then differ by whole terms; the triage must count the flip and pass. A side that closes a ReLU whose input is far from
/// 0 fails.
/// </summary>
public class RoundingFlipTests
{
    const string Spec = "conv(c=1,k=1) relu flatten dense(10)";

    [SkippableFact]
    public void A_ReLU_flipped_by_rounding_is_counted_not_failed()
    {
        var setup = KinkedSetup();
        var gradients = SpecGradientParity.Run(setup, Dtype.Float32);
        Assert.All(gradients, c => Assert.True(c.Pass, c.FailLine()));
        var conv = gradients.Single(c => c.Tensor == "conv1.weight");
        var engine = conv.Sides.Single(s => s.Side == Sides.Engine);
        Assert.True(engine.DecidedByRounding > 0, "the float32 engine should have closed ReLUs the truth opens");
        Assert.Equal(0, engine.Flips!.Beyond);
        Assert.StartsWith("PASS (", conv.Verdict);
        Assert.EndsWith(" decided by rounding)", conv.Verdict);
        // The dense layer's gradient does not pass through the ReLU: nothing to count there.
        Assert.Null(gradients.Single(c => c.Tensor == "dense1.weight").Sides[0].Flips);

        var forward = SpecForwardParity.Run(setup, Dtype.Float32);
        Assert.All(forward, c => Assert.True(c.Pass, c.FailLine()));
        Assert.True(forward.First(c => c.Tensor == "relu1").DecidedByRounding > 0);
    }

    [SkippableFact]
    public void A_ReLU_closed_far_from_zero_fails_the_gradients_of_that_side()
    {
        var setup = TriageTests.Setup("lenet5-relu", batch: 8, testCount: 16);
        var sides = new TriageSides(d => setup.Scratch(d), d => new ClosedReLU(setup.Twin(d), "relu2"));
        var failed = SpecGradientParity.Run(setup, Dtype.Float32, sides: sides).Where(c => !c.Pass).ToList();
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias"], failed.Select(c => c.Tensor));
        Assert.All(failed, c => Assert.Equal(Sides.Twin, c.Blamed.Single().Side));
        Assert.Contains("branch decisions in relu2 differ from the float64 truth beyond rounding", failed[0].FailLine());
    }

    // conv1.weight w and conv1.bias −fl(w·x0) for the commonest grey level x0 of the first batch, w chosen so that w·x0
    // rounds down in float32 (its exact value is above the float32 product).
    static SpecParitySetup KinkedSetup()
    {
        var spec = ArchitectureSpec.Parse(Spec);
        var data = RealData.Load(16);
        var settings = new SpecParitySettings(1, 32, 16, 4, 2);
        var seeded = SpecParitySetup.FromSeed(spec, data, settings);
        float x0 = seeded.FirstBatchImages.ToArray().Where(v => v is > 0 and < 1).GroupBy(v => (float)v)
            .OrderByDescending(g => g.Count()).First().Key;
        float w = 0.3f;
        while ((double)w * x0 - w * x0 <= 0) w = MathF.BitIncrement(w);
        var initial = seeded.Initial.ToDictionary(p => p.Key, p => p.Value);
        initial["conv1.weight"] = [w];
        initial["conv1.bias"] = [-(double)(w * x0)];
        return new SpecParitySetup(spec, data, settings, initial, seeded.FirstMasks,
            (dtype, values) => EngineModel.Create(spec, dtype, values, settings.Threads, settings.Exp));
    }

    /// <summary>A side whose ReLU outputs are all 0 in one layer: its decisions close every element.</summary>
    sealed class ClosedReLU(ISpecModel inner, string layer) : DecoratedModel(inner)
    {
        protected override double[] Output(string name, double[] values) => name == layer ? new double[values.Length] : values;
    }
}
