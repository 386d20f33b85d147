using CnnParity.Core;
using CnnParity.Testing;

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
    public static readonly Tolerance ForwardFloat32 = Tolerance.Float32;

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

    // ---- Any spec: the from-scratch engine against its TorchSharp twin, each in the same dtype. ----

    /// <summary>The forward tolerance of a spec check in <paramref name="dtype"/>.</summary>
    public static Tolerance SpecForward(Dtype dtype) => dtype == Dtype.Float64 ? SpecForwardFloat64 : SpecForwardFloat32;

    /// <summary>The gradient tolerance (manual against autograd) of a spec check in <paramref name="dtype"/>.</summary>
    public static Tolerance SpecGradient(Dtype dtype) => dtype == Dtype.Float64 ? SpecGradientFloat64 : SpecGradientFloat32;

    /// <summary>
    /// Float64 forward of any spec, engine against twin: the same expressions, but sums of up to a few thousand
    /// products (conv: C·k², dense: the flattened width) taken in another order, and exp/tanh from NumPy's kernels
    /// against Sleef's. Over the 200 specs of reports/grid the largest difference was 4.4e-15, on lenet5 (10,000
    /// test images) 1.0e-15 (at outputs near 0 the relative difference reached 5e-8); atol 1e-13 leaves a factor 20,
    /// rtol 1e-12 holds large outputs to a few thousand ULP, and a weight off by 1e-9 still fails.
    /// </summary>
    public static readonly Tolerance SpecForwardFloat64 = new("spec-forward-f64", 1e-12, 1e-13,
        "float64, same expressions, other summation order; measured ≤ 4.4e-15 (200 grid specs, lenet5)");

    /// <summary>
    /// Float32 forward of any spec, engine (float32) against twin (float32): torch.testing.assert_close's float32
    /// defaults, <see cref="ForwardFloat32"/>. Over 40 grid specs the largest difference was 1.6e-6 (a dense layer
    /// summing ~6,000 float32 products); on lenet5, 4.8e-7.
    /// </summary>
    public static Tolerance SpecForwardFloat32 => ForwardFloat32;

    /// <summary>
    /// Float64 gradients of the mean loss, manual against autograd: sums over batch and positions in other orders.
    /// Gradients here are 1e-5 to 1e-1; over the 200 grid specs the largest difference was 4.4e-16 (a factor 20 below
    /// atol 1e-14), on lenet5 9.5e-17. A missing or wrong term moves a gradient by far more.
    /// </summary>
    public static readonly Tolerance SpecGradientFloat64 = new("spec-gradient-f64", 1e-10, 1e-14,
        "float64 gradients of the mean loss, other summation order; measured ≤ 4.4e-16 (200 grid specs, lenet5)");

    /// <summary>
    /// Float32 gradients, engine (float32) against autograd (float32): sums of up to ~10^4 products rounded to 6e-8
    /// each, in other orders; where a gradient cancels to near 0 only the absolute part holds. Over 40 grid specs the
    /// largest difference was 1.9e-7 (lenet5, batch 128: 1.6e-8); atol 1e-6 and rtol 1e-4 are assert_close's float32
    /// scale for sums this long.
    /// </summary>
    public static readonly Tolerance SpecGradientFloat32 = new("spec-gradient-f32", 1e-4, 1e-6,
        "float32 gradients, other summation order over long sums; measured ≤ 1.9e-7 over 40 grid specs");

    /// <summary>
    /// Central finite differences (step <see cref="FiniteDifferenceStep"/>) of the float64 mean loss (about 2.3 at
    /// initialisation, unlike ch10's Σ/B² loss of about 0.02): each loss carries ~1e-15 of rounding, so a difference
    /// quotient carries ~1e-9 (measured ≤ 6.6e-10 over the 200 grid specs of batch 8, ≤ 1.5e-9 on lenet5 and the
    /// issue's spec with batch 128); atol 1e-8 leaves a factor 7 or more, rtol 1e-5
    /// bounds the truncation error h²·f‴ on larger gradients. Probes across a ReLU or max-pool kink are not made.
    /// </summary>
    public static readonly Tolerance SpecFiniteDifference = new("spec-finite-difference", 1e-5, 1e-8,
        "central differences of the mean loss, eps = 1e-6, float64; measured ≤ 1.5e-9");

    /// <summary>The largest lockstep drift (<see cref="Specs.LockstepEpoch.Drift"/>) a spec's run in <paramref name="dtype"/> may reach.</summary>
    public static double SpecLockstepDrift(Dtype dtype) => dtype == Dtype.Float64 ? SpecLockstepDriftFloat64 : SpecLockstepDriftFloat32;

    /// <summary>
    /// Float64 lockstep: rounding (~1e-16 per operation) compounds over every SGD step, momentum included; the issue's
    /// spec drifted 5.5e-16 in 5 epochs (35 steps). A wrong gradient term or update moves parameters by more than 1e-4
    /// of their scale within one epoch, so 1e-8 leaves rounding eight orders to grow and still catches any real fault.
    /// Over a long run SGD itself can amplify rounding faster than that (<see cref="SpecLockstepSensitivityFactor"/>):
    /// then the limit follows what one rounding does to the engine alone.
    /// </summary>
    public const double SpecLockstepDriftFloat64 = 1e-8;

    /// <summary>Why <see cref="SpecLockstepDriftFloat64"/> has its size, in a report's words.</summary>
    public const string SpecLockstepDriftFloat64Why =
        "float64 rounding (~1e-16 per operation) compounds over every SGD step, momentum included; a wrong gradient term or " +
        "update moves parameters by more than 1e-4 of their scale within one epoch. Over a long run SGD amplifies rounding " +
        "itself (lenet5: tenfold per epoch from epoch 6), so the limit is the larger of this and 100 times the engine's own " +
        "sensitivity (its drift from itself started one ULP away)";

    /// <summary>
    /// Float32 lockstep (engine and twin both float32): rounding of 6e-8 per operation compounds far faster (lenet5:
    /// 3.2e-7 after 5 epochs). 1e-3 only catches a twin that trains a different model.
    /// </summary>
    public const double SpecLockstepDriftFloat32 = 1e-3;

    /// <summary>Why <see cref="SpecLockstepDriftFloat32"/> has its size, in a report's words.</summary>
    public const string SpecLockstepDriftFloat32Why =
        "float32 rounding (6e-8 per operation) compounds far faster; this limit only catches a twin that trains a different model";

    /// <summary>
    /// How far beyond the engine's own sensitivity (<see cref="Specs.LockstepEpoch.Sensitivity"/>: the drift between the
    /// engine and the engine started one ULP away in every weight, same batches, same masks) a lockstep twin may drift.
    /// Measured on lenet5 (60,000 images, batch 64, lr 0.05, momentum 0.9, float64, 20 epochs): the twin's drift was
    /// 1.1e-14 after epoch 0 and then grew about tenfold per epoch from epoch 6 (9.9e-14, 1.1e-12, 6.2e-12, 3.3e-11,
    /// 3.5e-10, 3.8e-9, 5.7e-8 at epoch 12, past <see cref="SpecLockstepDriftFloat64"/>) to 1.9e-4 at epoch 19; the engine
    /// against itself one ULP away grew the same way (5.7e-15, then 2.5e-13 at epoch 6, 4.8e-13, 5.3e-12, 2.1e-11,
    /// 2.0e-10, 1.9e-9, 3.0e-8 at epoch 12, 1.2e-4 at epoch 19), with the same test accuracies epoch by epoch: SGD with
    /// momentum amplifies a difference of one rounding, so from there on no fixed limit tells rounding from a fault,
    /// while the sensitivity does. The twin stayed within 0.4 and 2.3 times the sensitivity over the 20 epochs; a factor
    /// 100 leaves room for that spread and still fails a twin whose update is 1% off (drift 1e-4 where the sensitivity
    /// is 1e-14).
    /// </summary>
    public const double SpecLockstepSensitivityFactor = 100;

    /// <summary>
    /// The drift a lockstep epoch may reach: <paramref name="limit"/>, or <see cref="SpecLockstepSensitivityFactor"/> times
    /// the engine's own sensitivity at that epoch when that is larger (a sensitivity that is not a finite number is ignored).
    /// </summary>
    public static double SpecLockstepAllowance(double limit, double? sensitivity) =>
        sensitivity is double s && double.IsFinite(s) ? Math.Max(limit, SpecLockstepSensitivityFactor * s) : limit;
}
