using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

public class GradCheckTests
{
    static Tensor Input() => tensor(new[] { 0.5, -1.0, 2.0 }, requires_grad: true);

    [Fact]
    public void ARightCustomBackwardPasses()
    {
        GradCheck.Assert(x => Cube.apply(x[0]), [Input()]);
        GradCheck.Assert(x => Cube.apply(x[0]), [Input()], new GradCheckOptions { FastMode = true });
    }

    [Fact]
    public void AWrongCustomBackwardIsCaughtWithItsWorstEntry()
    {
        // A power-of-two eps and dyadic inputs make the differences exact: ((x+h)³ − (x−h)³)/2h = 3x² + h².
        const double h = 1.0 / 1024;
        var options = new GradCheckOptions { Eps = h };
        var e = Assert.Throws<TensorMismatchException>(() => GradCheck.Assert(x => WrongCube.apply(x[0]), [Input()], options));
        // Diagonal Jacobian: 3x² + h² numerically, 2x² from the wrong backward; worst absolutely at x = 2, relatively at x = 0.5.
        double relativeAtHalf = (0.75 + h * h - 0.5) / (0.75 + h * h);
        Assert.Equal(
            "Jacobian mismatch for output 0 with respect to input 0 (input 0),\n" +
            "Mismatched entries: 3 / 9 (33.3%)\n" +
            "Greatest absolute difference: 4.000000953674316 at d output(2,) / d input 0(2,) (up to 1e-05 allowed)\n" +
            $"Greatest relative difference: {relativeAtHalf:R} at d output(0,) / d input 0(0,) (up to 0.001 allowed)\n" +
            "Worst entry d output(2,) / d input 0(2,): analytical 8.0, numerical 12.000000953674316\n" +
            "Numerical derivatives are central differences with eps 0.0009765625; analytical ones come from backward. " +
            "A mismatch means the backward (a custom autograd function, a hand-written gradient) does not differentiate the forward.",
            e.Message);
        Assert.Equal(3, e.Distance!.Mismatched);
    }

    [Fact]
    public void FastModeCatchesAWrongBackwardToo()
    {
        var e = Assert.Throws<TensorMismatchException>(() =>
            GradCheck.Assert(x => WrongCube.apply(x[0]), [Input()], new GradCheckOptions { FastMode = true }));
        Assert.StartsWith("Jacobian mismatch for output 0 with respect to input 0 (input 0) in fast mode,\nProjection uᵀJv: analytical ", e.Message);
        Assert.Contains("run with FastMode = false to find the worst entry", e.Message);
    }

    [Fact]
    public void AModuleIsCheckedWithRespectToEveryParameterByName()
    {
        manual_seed(1);
        var module = nn.Sequential(("fc", nn.Linear(3, 2)), ("act", nn.Tanh())).to(float64);
        var x = randn(4, 3, float64);
        GradCheck.Assert(module, x);
        GradCheck.Assert(module, x, new GradCheckOptions { FastMode = true });

        // A parameter that the output ignores by a wrong backward: scale the bias gradient by a hook-free custom function.
        var broken = new BrokenBias();
        var ex = Assert.Throws<TensorMismatchException>(() => GradCheck.Assert(broken, x));
        Assert.StartsWith("Jacobian mismatch for output 0 with respect to input 1 (bias),", ex.Message);
    }

    [Fact]
    public void InputsMustBeFloat64AndSomeMustRequireGrad()
    {
        var e = Assert.Throws<ArgumentException>(() => GradCheck.Assert(x => x[0] * 2, [tensor(new[] { 1f }, requires_grad: true)]));
        Assert.StartsWith("gradcheck: input 0 is float32; finite differences need float64", e.Message);
        Assert.Throws<ArgumentException>(() => GradCheck.Assert(x => x[0] * 2, [tensor(new[] { 1.0 })]));
    }

    [Fact]
    public void InputsAreRestoredBitForBit()
    {
        var x = Input();
        var before = x.detach().clone();
        GradCheck.Assert(t => (t[0].sin() * t[0]).sum(), [x]);
        TensorAssert.Close(x.detach(), before, rtol: 0, atol: 0);
    }

    /// <summary>y = x·Wᵀ + b with the bias gradient halved in backward.</summary>
    sealed class BrokenBias : nn.Module<Tensor, Tensor>
    {
        readonly TorchSharp.Modules.Parameter weight = new(randn(2, 3, float64));
        readonly TorchSharp.Modules.Parameter bias = new(randn(2, float64));

        public BrokenBias() : base(nameof(BrokenBias)) => RegisterComponents();

        public override Tensor forward(Tensor x) => x.matmul(weight.t()) + HalfGradient.apply(bias);
    }

    sealed class HalfGradient : autograd.SingleTensorFunction<HalfGradient>
    {
        public override string Name => "HalfGradient";
        public override Tensor forward(autograd.AutogradContext ctx, params object[] vars) => ((Tensor)vars[0]).clone();
        public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output) => [grad_output * 0.5];
    }
}
