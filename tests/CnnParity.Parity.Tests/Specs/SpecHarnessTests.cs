using CnnParity.Core;
using CnnParity.Parity;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>
/// The spec checks themselves, with a TorchSharp twin on both sides: they pass when the sides agree (autograd
/// against finite differences, kinks avoided), and fail — naming the right layer or tensor — when one side is wrong.
/// </summary>
public class SpecHarnessTests
{
    const string ReluMaxPool = "conv(c=4,k=2,s=2) relu conv(c=8,k=3,p=1) tanh maxpool(k=3,s=2) flatten dense(32) tanh dense(10)";
    const string WithDropout = "conv(c=3,k=5,p=2) relu maxpool(k=2) dropout(p=0.5) flatten dense(16) sigmoid dropout(p=0.25) dense(10)";
    static readonly SpecParitySettings Settings = new(Seed: 1, Batch: 8, TestCount: 50, FiniteDifferenceSample: 12, Threads: 1);

    [SkippableTheory]
    [InlineData(ReluMaxPool)]
    [InlineData(WithDropout)]
    [InlineData("conv(c=2,k=7,s=3,p=3,bias=false) sigmoid avgpool(k=2,s=1) flatten dense(10,bias=false)")]
    public void IdenticalSidesAgreeBitwiseAndAutogradMatchesFiniteDifferences(string spec)
    {
        var setup = TwinOnlySetup.Create(spec, Settings);

        var forward = SpecForwardParity.Run(setup, Dtype.Float64);
        var gradients = SpecGradientParity.Run(setup, Dtype.Float64);

        Assert.Equal(2 * setup.Spec.Layers.Count + 1, forward.Count); // every layer on the batch and the test set, and the loss
        Assert.All(forward, f => Assert.True(f.Pass, f.FailLine()));
        // The two identical sides are equally far from the float64 reference, to the bit.
        Assert.All(forward, f => Assert.Equal(f.Sides[0].MaxAbs, f.Sides[1].MaxAbs));
        Assert.Equal(2 * setup.Spec.Parameters.Count, gradients.Count); // three opinions, then finite differences
        Assert.All(gradients, g => Assert.True(g.Pass, g.FailLine()));
        Assert.All(gradients.Where(g => g.Scope == SpecGradientParity.FiniteDifferences),
            g => Assert.Equal(Math.Min(Settings.FiniteDifferenceSample, setup.Initial[g.Tensor].Length), g.Sides[0].Count));
    }

    /// <summary>One weight of dense1 off by a billionth: the layers before it pass, dense1 is the first to fail.</summary>
    [SkippableFact]
    public void ANudgedWeightFailsFirstAtItsOwnLayer()
    {
        var setup = TwinOnlySetup.Create(ReluMaxPool, Settings);
        var nudged = setup.Initial.ToDictionary(p => p.Key, p => (double[])p.Value.Clone());
        nudged["dense1.weight"][5] += 1e-9;

        var forward = SpecForwardParity.Run(setup, Dtype.Float64, new(d => setup.Scratch(d), d => setup.Twin(d, name => nudged[name])));

        var firstBatch = forward.Where(f => f.Scope == "first batch").ToList();
        var first = firstBatch.First(f => !f.Pass);
        Assert.Equal("dense1", first.Tensor);
        Assert.Equal(CnnParity.Parity.Triage.Sides.Twin, first.Blamed.Single().Side);
        Assert.All(firstBatch.TakeWhile(f => f.Tensor != "dense1"), f => Assert.True(f.Pass, f.Tensor));
        Assert.False(forward.Single(f => f.Tensor == "dense2" && f.Scope.StartsWith("test set")).Pass);
    }

    /// <summary>A backward pass with one wrong entry: autograd and finite differences both disagree with it, and only for that tensor.</summary>
    [SkippableFact]
    public void AWrongGradientEntryFailsAgainstAutogradAndFiniteDifferences()
    {
        var setup = TwinOnlySetup.Create(ReluMaxPool, Settings, twin => new WrongGradient(twin, "conv2.weight", 0, 1e-6));

        var gradients = SpecGradientParity.Run(setup, Dtype.Float64);

        var failed = gradients.Where(g => !g.Pass).Select(g => (g.Tensor, g.Scope, Blamed: string.Join(",", g.Blamed.Select(s => s.Side)))).ToList();
        Assert.Equal([("conv2.weight", "first batch", CnnParity.Parity.Triage.Sides.Engine), ("conv2.weight", SpecGradientParity.FiniteDifferences, CnnParity.Parity.Triage.Sides.Engine)], failed);
    }
}
