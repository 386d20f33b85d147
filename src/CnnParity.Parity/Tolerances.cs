using CnnParity.Parity.Results;

namespace CnnParity.Parity;

/// <summary>Every tolerance the harness uses, each defined once, with the reason for its size.</summary>
public static class Tolerances
{
    /// <summary>
    /// Float64 forward pass. Both sides compute the same float64 expressions; only the order of the 9-term
    /// convolution sums and of the hidden·W dot product differ (TorchSharp blocks them), which moves a result
    /// by a few ULP: ~1e-15 relative. 1e-12 leaves three orders of margin and still catches any real bug.
    /// </summary>
    public static readonly Tolerance ForwardFloat64 = new("forward-f64", 1e-12, 1e-14,
        "float64: same expressions, different summation order; a few ULP expected");

    /// <summary>
    /// Float32 twin against the float64 from-scratch network, and the deployed ONNX model (ONNX Runtime's float32
    /// kernels: blocked GEMM sums, its own tanh, exp and sigmoid) against the float32 from-scratch network and twin:
    /// torch.testing.assert_close's float32 defaults (rtol 1.3e-6, atol 1e-5), the tolerance a PyTorch user would apply
    /// to a float32 port. Measured on the deployed model, all 10,000 test images: a LeNet-5 trained to 88% within 5e-6
    /// absolute on its logits (the allowance is 1e-5 + 1.3e-6·|logit|) and 1e-6 on its probabilities; ch10 within 4e-7.
    /// </summary>
    public static readonly Tolerance ForwardFloat32 = new("assert_close-f32", 1.3e-6, 1e-5,
        "torch.testing.assert_close defaults for float32");

    /// <summary>
    /// Hand-written float64 gradients against autograd: sums of up to 128·676 products in different orders;
    /// relative 1e-10 is 6 orders above float64 rounding yet far below any wrong-derivative error.
    /// </summary>
    public static readonly Tolerance GradientFloat64 = new("gradient-f64", 1e-10, 1e-16,
        "float64 gradients, different summation order");

    /// <summary>Float32 autograd against float64 hand gradients: assert_close's float32 defaults, scaled to the gradient size.</summary>
    public static readonly Tolerance GradientFloat32 = new("gradient-f32", 1e-4, 1e-9,
        "float32 autograd vs float64: accumulated float32 rounding over long sums");

    /// <summary>
    /// Central finite differences with step 1e-6 on a loss of about 1e-2: truncation ~eps²·f''' ≈ 1e-12 and
    /// cancellation ≈ 1e-16·L/eps ≈ 1e-12, so an absolute 1e-9 plus relative 1e-5 is safe and still sharp.
    /// </summary>
    public static readonly Tolerance FiniteDifference = new("finite-difference", 1e-5, 1e-9,
        "central differences, eps = 1e-6, float64");

    /// <summary>Step of the central finite differences (float64).</summary>
    public const double FiniteDifferenceStep = 1e-6;

    /// <summary>Lockstep training: the largest relative parameter difference allowed at the end of the run.</summary>
    public const double LockstepMaxParameterRelDiff = 1e-6;

    /// <summary>The same for a float32 twin against the float64 network: float32 rounding (6e-8) compounds far faster.</summary>
    public const double LockstepMaxParameterRelDiffFloat32 = 0.1;

    public const string LockstepFloat32Why =
        "float32 twin vs float64 network: 6e-8 per operation compounds over every step (measured 4e-4 after 3 epochs); " +
        "this limit only catches a twin that trains a different model";

    public const string LockstepWhy =
        "float64 rounding (~1e-16 per operation) compounds over every minibatch step (7 per epoch); the measured drift " +
        "stays orders of magnitude below this, while a wrong gradient term moves a parameter by > 1e-3 within one epoch";
}
