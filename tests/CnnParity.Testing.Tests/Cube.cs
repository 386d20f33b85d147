using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>x³ as a custom autograd function, with the right backward (3x²) or a wrong one (2x², a typical slip).</summary>
sealed class Cube : autograd.SingleTensorFunction<Cube>
{
    public override string Name => "Cube";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x]);
        return x * x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        return [grad_output * 3 * x * x];
    }
}

/// <summary>The same forward with the derivative of x² instead of x³.</summary>
sealed class WrongCube : autograd.SingleTensorFunction<WrongCube>
{
    public override string Name => "WrongCube";

    public override Tensor forward(autograd.AutogradContext ctx, params object[] vars)
    {
        var x = (Tensor)vars[0];
        ctx.save_for_backward([x]);
        return x * x * x;
    }

    public override List<Tensor> backward(autograd.AutogradContext ctx, Tensor grad_output)
    {
        var x = ctx.get_saved_variables()[0];
        return [grad_output * 2 * x * x];
    }
}
