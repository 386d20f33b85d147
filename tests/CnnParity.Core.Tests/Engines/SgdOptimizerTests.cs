using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// <see cref="SgdOptimizer{T}"/> against torch.optim.SGD's documented update (dampening 0, no Nesterov, no weight
/// decay): b₁ = g₁, bₜ = μ·bₜ₋₁ + gₜ, p ← p - lr·bₜ; with μ = 0, p ← p - lr·gₜ. The expected values are those
/// formulas evaluated by hand, step by step, in the same precision.
/// </summary>
public class SgdOptimizerTests
{
    private static readonly ArchitectureSpec Spec = ArchitectureSpec.Parse("conv(c=1,k=28,bias=false) flatten dense(10,bias=false)");

    private static ParameterSet<T> Set<T>(T conv, T dense)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var p = ParameterSet<T>.Zeros(Spec);
        p["conv1.weight"].AsSpan().Fill(conv);
        p["dense1.weight"].AsSpan().Fill(dense);
        return p;
    }

    [Fact]
    public void Momentum_follows_torch_optim_sgd()
    {
        double lr = 0.1, mu = 0.9;
        var p = Set(1.0, -2.0);
        var sgd = new SgdOptimizer<double>(lr, mu);
        sgd.Step(p, Set(0.5, 0.25));
        double b1 = 0.5, p1 = 1.0 - lr * b1;
        Assert.Equal(p1, p["conv1.weight"][0]);
        Assert.Equal(-2.0 - lr * 0.25, p["dense1.weight"][3]);
        sgd.Step(p, Set(-0.25, 0.125));
        double b2 = mu * b1 + -0.25, p2 = p1 - lr * b2;
        Assert.Equal(p2, p["conv1.weight"][0]);
        sgd.Step(p, Set(0.75, 0.0));
        double b3 = mu * b2 + 0.75;
        Assert.Equal(p2 - lr * b3, p["conv1.weight"][0]);
        Assert.Equal(3, sgd.Steps);
    }

    /// <summary>torch.optim.SGD's weight decay: d = g + wd·p before the momentum buffer (b₁ = d₁), the caller's gradients untouched.</summary>
    [Fact]
    public void Weight_decay_is_added_to_the_gradient_before_momentum()
    {
        double lr = 0.1, mu = 0.9, wd = 0.01;
        var p = Set(1.0, -2.0);
        var g = Set(0.5, 0.25);
        var sgd = new SgdOptimizer<double>(lr, mu, wd);
        sgd.Step(p, g);
        double b1 = 0.5 + wd * 1.0, p1 = 1.0 - lr * b1;
        Assert.Equal(p1, p["conv1.weight"][0]);
        Assert.Equal(0.5, g["conv1.weight"][0]);
        sgd.Step(p, Set(-0.25, 0.125));
        double b2 = mu * b1 + (-0.25 + wd * p1);
        Assert.Equal(p1 - lr * b2, p["conv1.weight"][0]);
    }

    [Fact]
    public void Without_momentum_it_is_plain_sgd_in_float32()
    {
        var p = Set(1f, -2f);
        var sgd = new SgdOptimizer<float>(0.05, 0);
        sgd.Step(p, Set(0.5f, 0.3f));
        sgd.Step(p, Set(0.5f, 0.3f));
        float lr = 0.05f;
        Assert.Equal(1f - lr * 0.5f - lr * 0.5f, p["conv1.weight"][0]);
        Assert.Equal(-2f - lr * 0.3f - lr * 0.3f, p["dense1.weight"][0]);
    }

    [Theory]
    [InlineData(0.0, 0.0)]
    [InlineData(-0.1, 0.0)]
    [InlineData(0.1, 1.0)]
    [InlineData(double.NaN, 0.0)]
    public void Bad_settings_are_refused(double lr, double momentum) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SgdOptimizer<double>(lr, momentum));

    /// <summary>
    /// ExponentialLR(γ) stepped after each epoch: epoch e's rate is the previous one times γ, in double, as PyTorch's
    /// chainable form computes it (not lr·γ^e through pow, which can differ in the last bit); the optimizer steps with
    /// the rate set on it, rounded once to its precision.
    /// </summary>
    [Fact]
    public void A_decayed_rate_is_multiplied_out_epoch_by_epoch()
    {
        var options = new SpecTrainerOptions(Spec) { LearningRate = 0.05, LearningRateDecay = 0.8 };
        Assert.Equal(0.05, options.LearningRateAt(0));
        Assert.Equal(0.05 * 0.8 * 0.8 * 0.8, options.LearningRateAt(3));
        Assert.Equal(0.05, new SpecTrainerOptions(Spec) { LearningRate = 0.05 }.LearningRateAt(7));

        var p = Set(1f, -2f);
        var sgd = new SgdOptimizer<float>(0.05, 0) { LearningRate = options.LearningRateAt(3) };
        sgd.Step(p, Set(0.5f, 0.25f));
        Assert.Equal(1f - (float)options.LearningRateAt(3) * 0.5f, p["conv1.weight"][0]);
        Assert.Throws<ArgumentOutOfRangeException>(() => sgd.LearningRate = 0);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.5)]
    [InlineData(double.NaN)]
    public void A_decay_outside_0_to_1_is_refused(double decay) =>
        Assert.Contains("learning rate decay", Assert.Throws<CnnParityException>(() => new SpecTrainerOptions(Spec) { LearningRateDecay = decay }.Validate()).Message);
}
