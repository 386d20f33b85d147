using CnnParity.Core;
using CnnParity.Parity.Grid;
using CnnParity.Parity.Specs;
using CsCheck;

namespace CnnParity.Parity.Tests.Grid;

/// <summary>
/// The grid as a property: for random valid specs, the from-scratch engine and its TorchSharp twin stand within their
/// bounds of the float64 truth, in float64 and float32, at every named layer and on every named parameter's gradient (and
/// agree with finite differences). A failure is
/// shrunk by CsCheck and printed as the spec's text, with the seed that reproduces it.
/// </summary>
public class GridPropertyTests
{
    /// <summary>Specs per test run: enough to reach every range of <see cref="GridSpace"/> on every CI run, few enough for seconds.</summary>
    const int Specs = 30;

    static readonly SpecParitySettings Settings = SpecParitySettings.Grid(seed: 1, threads: 2);

    [SkippableFact]
    public void RandomSpecsAgreeWithTheFloat64Truth()
    {
        var data = RealData.Load(Settings.TestCount);
        int checkedSpecs = 0;

        SpecGrid.Specs.Sample(drawn =>
        {
            var result = SpecGridRun.Checks(SpecParitySetup.FromSeed(SpecGrid.Build(drawn), data, Settings), null);
            Interlocked.Increment(ref checkedSpecs);
            if (!result.Passed) throw new Exception(string.Join("; ", result.Reasons));
        }, iter: Specs, threads: 1, print: s => s.Text);

        Assert.True(checkedSpecs >= Specs, $"{checkedSpecs} specs checked");
    }

    /// <summary>The property can fail: with one twin weight off by a millionth, it fails, shrinks, and prints a spec.</summary>
    [SkippableFact]
    public void ATwinWithOneWeightOffFailsAndPrintsTheShrunkSpec()
    {
        var data = RealData.Load(Settings.TestCount);

        var failure = Assert.ThrowsAny<Exception>(() => SpecGrid.Specs.Sample(drawn =>
        {
            var setup = SpecParitySetup.FromSeed(SpecGrid.Build(drawn), data, Settings);
            var nudged = setup.Initial.ToDictionary(p => p.Key, p => (double[])p.Value.Clone());
            nudged["conv1.weight"][0] += 1e-6;
            var forward = SpecForwardParity.Run(setup, Dtype.Float64, new(d => setup.Scratch(d), d => setup.Twin(d, name => nudged[name])));
            if (forward.Any(f => !f.Pass)) throw new Exception($"first failing layer: {forward.First(f => !f.Pass).Tensor}");
        }, iter: 3, threads: 1, print: s => s.Text));

        // CsCheck's message: the seed that reproduces it and the shrunk case, printed as spec text; the cause inside.
        Assert.Contains("seed", failure.Message);
        Assert.Matches(@"conv\(c=\d+,k=\d+.*flatten.*dense\(10", failure.Message);
        Assert.Equal("first failing layer: conv1", failure.InnerException?.Message);
    }
}
