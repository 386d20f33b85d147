using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>
/// A ReLU whose input is 1e-9 in float64 and 0 in the port's float32 — (1 + 1e-9) − 1 rounds to 0 in float32 —
/// while the reference sums in an order that keeps it: the port's gradient behind that ReLU is cut to 0, and the
/// float64 truth reports it as decided by rounding, not as a failure.
/// </summary>
public class RoundingFlipTests
{
    /// <summary>fc (2 → 1) → ReLU → out (1 → 1); <paramref name="keepTheTinyTerm"/> adds the bias before the tiny term.</summary>
    sealed class Kink : nn.Module<Tensor, Tensor>
    {
        readonly Linear fc = nn.Linear(2, 1);
        readonly ReLU relu = nn.ReLU();
        readonly Linear @out = nn.Linear(1, 1);
        readonly bool keepTheTinyTerm;

        public Kink(bool keepTheTinyTerm) : base(nameof(Kink))
        {
            this.keepTheTinyTerm = keepTheTinyTerm;
            RegisterComponents();
            using var _ = no_grad();
            fc.weight!.copy_(tensor(new[,] { { 1.0f, 1.0f } }));
            fc.bias!.fill_(-1.0f);
            @out.weight!.fill_(2.0f);
            @out.bias!.fill_(0.0f);
        }

        public override Tensor forward(Tensor x)
        {
            var pre = keepTheTinyTerm
                ? x[.., 0..1] * fc.weight![.., 0] + fc.bias! + x[.., 1..2] * fc.weight![.., 1] // (1 − 1) + 1e-9
                : fc.call(x);                                                                   // (1 + 1e-9) − 1
            return @out.call(relu.call(pre));
        }
    }

    static RunRecord Run(Kink module, ScalarType dtype)
    {
        module.to(dtype);
        using var input = tensor(new[,] { { 1.0, 1e-9 } }).to_type(dtype);
        return new RunRecord(ForwardTrace.Record(module, input, o => o.sum()));
    }

    [Fact]
    public void TheGradientBehindAFlippedReluPassesAsDecidedByRounding()
    {
        using var golden32 = Run(new Kink(keepTheTinyTerm: true), ScalarType.Float32);
        using var golden64 = Run(new Kink(keepTheTinyTerm: true), ScalarType.Float64);
        using var port32 = Run(new Kink(keepTheTinyTerm: false), ScalarType.Float32);
        using var port64 = Run(new Kink(keepTheTinyTerm: false), ScalarType.Float64);
        Assert.Equal(0f, port32.Forward.Outputs.Single(o => o.Name == "relu").Output.item<float>()); // the flip is real

        var result = new GoldenComparison(port32, port64, golden32, golden64, new ParityOptions()).Run("kink", []);
        Assert.True(result.Pass, result.ToMarkdown());
        Assert.Equal(1, result.Checks.Single(c => c.Name == "relu").Truth!.Port.DecidedByRounding);
        var weight = result.Checks.Single(c => c.Name == "fc.weight");
        // Two: the ReLU's output, and the output layer's after it (2 · 0 against 2 · 1e-9).
        Assert.StartsWith("decided by rounding (2 elements): ", weight.Truth!.Reason);
        Assert.Contains("2 elements decided by rounding", result.ToMarkdown());
    }

    [Fact]
    public void WithoutTheFloat64RunsTheSameGradientFails()
    {
        using var golden32 = Run(new Kink(keepTheTinyTerm: true), ScalarType.Float32);
        using var port32 = Run(new Kink(keepTheTinyTerm: false), ScalarType.Float32);
        var result = new GoldenComparison(port32, null, golden32, null, new ParityOptions()).Run("kink", []);
        Assert.Equal(("gradient", "fc.weight"), (result.FirstFailure!.Stage, result.FirstFailure.Name));
    }
}
