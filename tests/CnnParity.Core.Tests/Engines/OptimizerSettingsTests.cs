using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// What torch.optim refuses is refused in one line; the default is SGD without weight decay, so every run that names no
/// optimizer is the run it was; Adam keeps no SGD momentum.
/// </summary>
public class OptimizerSettingsTests
{
    static readonly ArchitectureSpec Spec = ArchitectureSpec.Parse("conv(c=1,k=28,bias=false) flatten dense(10,bias=false)");

    [Theory]
    [InlineData(-0.1, 0.9, 0.999, 1e-8, "the weight decay must be a number >= 0")]
    [InlineData(0, 1, 0.999, 1e-8, "beta1 must be in [0, 1), got 1")]
    [InlineData(0, 0.9, -0.5, 1e-8, "beta2 must be in [0, 1), got -0.5")]
    [InlineData(0, 0.9, 0.999, 0, "eps must be a positive number, got 0")]
    [InlineData(double.NaN, 0.9, 0.999, 1e-8, "the weight decay must be a number >= 0, got NaN")]
    public void BadSettingsAreRefused(double weightDecay, double beta1, double beta2, double eps, string message) =>
        Assert.StartsWith(message, Assert.Throws<CnnParityException>(() =>
            new SpecTrainerOptions(Spec) { Optimizer = new OptimizerSettings(OptimizerKind.Adam, weightDecay, beta1, beta2, eps) }.Validate()).Message);

    [Fact]
    public void AdamTakesNoSgdMomentum() =>
        Assert.Contains("momentum belongs to SGD", Assert.Throws<CnnParityException>(() =>
            new SpecTrainerOptions(Spec) { Momentum = 0.9, Optimizer = new OptimizerSettings(OptimizerKind.AdamW) }.Validate()).Message);

    [Fact]
    public void TheDefaultIsSgdWithoutWeightDecay()
    {
        var options = new SpecTrainerOptions(Spec);
        Assert.Equal(OptimizerSettings.Sgd, options.Optimizer);
        Assert.Equal(new OptimizerSettings(OptimizerKind.Sgd, 0, 0.9, 0.999, 1e-8), options.Optimizer);
        Assert.IsType<SgdOptimizer<double>>(Optimizers.Create<double>(options with { Momentum = 0.9 }));
        Assert.IsType<AdamOptimizer<float>>(Optimizers.Create<float>(options with { Optimizer = new OptimizerSettings(OptimizerKind.Adam) }));
        Assert.Equal("sgd", options.Optimizer.ToString());
        Assert.Equal("adamw (β1 0.9, β2 0.999, eps 1E-08), weight decay 0.01", new OptimizerSettings(OptimizerKind.AdamW, 0.01).ToString());
    }

    [Theory]
    [InlineData("sgd", OptimizerKind.Sgd)]
    [InlineData("adam", OptimizerKind.Adam)]
    [InlineData("adamw", OptimizerKind.AdamW)]
    public void NamesAreTorchOptims(string name, OptimizerKind kind) => Assert.Equal(kind, OptimizerSettings.Parse(name));

    [Fact]
    public void AnUnknownOptimizerIsOneLine() =>
        Assert.Equal("--optimizer must be one of sgd, adam, adamw, got 'rmsprop'", Assert.Throws<CnnParityException>(() => OptimizerSettings.Parse("rmsprop")).Message);
}
