using CnnParity.Core;
using CnnParity.Core.Engines;
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
    /// Float32 twin against the float64 from-scratch network: torch.testing.assert_close's float32 defaults (rtol 1.3e-6,
    /// atol 1e-5), the tolerance a PyTorch user would apply to a float32 port. Float32 rounding (6e-8 per operation) over
    /// sums of a few hundred to a few thousand products of weights near their initial size stays well inside it.
    /// </summary>
    public static readonly Tolerance ForwardFloat32 = Tolerance.Float32;

    /// <summary>
    /// The deployed ONNX model (ONNX Runtime's float32 kernels: blocked GEMM sums, its own tanh, exp and softmax) against
    /// the float32 from-scratch network and twin, for one output: <see cref="ForwardFloat32"/>, widened to
    /// <see cref="DeployedRoundingFactor"/> times the from-scratch float32 network's own rounding when that is more.
    /// That rounding is measured on the run: the float32 engine's largest distance from the same network, weights and
    /// images computed in float64. A fixed atol cannot serve: float32 rounding grows with the length of each sum and
    /// the size of its terms. Chapter 10's book configuration sums 10,000 products into each logit, with weights its
    /// update rule grew; there the float32 engine is 8e-5 from float64, and ONNX Runtime as far from it. LeNet-5 stays
    /// near 1e-6, inside assert_close's 1e-5.
    /// </summary>
    /// <param name="output">"logits" or "probabilities": the tolerance's name says which</param>
    /// <param name="scratchRounding">the float32 engine's largest distance from float64 on this output</param>
    public static Tolerance DeployedFloat32(string output, double scratchRounding)
    {
        double widened = DeployedRoundingFactor * scratchRounding;
        string measured = $"the float32 engine's own rounding of the {output} (its distance from float64 at the same weights) is {scratchRounding:0.00e+0}";
        return widened <= ForwardFloat32.Atol || !double.IsFinite(widened)
            ? ForwardFloat32 with { Name = $"deployed-f32-{output}", Why = $"assert_close's float32 defaults; {measured}, {DeployedRoundingFactor:0}× that is less" }
            : ForwardFloat32 with { Name = $"deployed-f32-{output}", Atol = widened, Why = $"{DeployedRoundingFactor:0}× {measured}; assert_close's float32 atol 1e-5 is less" };
    }

    /// <summary>
    /// How many times the from-scratch float32 network's own rounding two float32 implementations may differ by. Each
    /// is off the float64 network by its own rounding; the from-scratch engine sums sequentially, which rounds the most
    /// (ONNX Runtime's and LibTorch's blocked sums round less: the book configuration's ONNX Runtime logits are 2e-5
    /// from the twin's and 8e-5 from the engine's, whose own rounding is of the same size). 4 lets the runtime round up
    /// to three times as much as the engine and still fails any fault that moves an output by more than rounding does.
    /// </summary>
    public const double DeployedRoundingFactor = 4;

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

    /// <summary>
    /// Chapter 10's lockstep training, float64 twin against the float64 network (same batches, same dropout masks): the
    /// largest drift (<see cref="Specs.LockstepEpoch.Drift"/>) allowed after any epoch.
    /// </summary>
    public static readonly DriftLimit LockstepDriftFloat64 = new("ch10 lockstep f64 drift", 1e-6,
        "float64 rounding (~1e-16 per operation) compounds over every minibatch step (7 per epoch); the measured drift " +
        "stays orders of magnitude below this, while a wrong gradient term moves a parameter by > 1e-3 within one epoch");

    /// <summary>
    /// The same for a float32 run (parity --dtype f32, engine and twin both float32): float32 rounding (6e-8 per operation)
    /// compounds far faster, so the limit is loose; the drift a run reaches is in its report's lockstep rows.
    /// </summary>
    public static readonly DriftLimit LockstepDriftFloat32 = new("ch10 lockstep f32 drift", 0.1,
        "float32 twin vs float64 network: 6e-8 per operation compounds over every step; " +
        "this limit only catches a twin that trains a different model");

    // ---- Any spec: the from-scratch engine against its TorchSharp twin, each in the same dtype. ----

    /// <summary>
    /// Float64 forward of any spec, engine against twin: the same expressions, but sums of up to a few thousand
    /// products (conv: C·k², dense: the flattened width) taken in another order, and exp/tanh from NumPy's kernels
    /// against Sleef's: a few ULP of outputs of order 1 each, 1e-15 to 1e-14 in all. atol 1e-13 leaves an order of
    /// magnitude above that (at outputs near 0 the relative difference can be large, so the absolute part decides there),
    /// rtol 1e-12 holds large outputs to a few thousand ULP, and a weight off by 1e-9 still fails. The largest difference
    /// of each spec is in reports/grid.
    /// </summary>
    public static readonly Tolerance SpecForwardFloat64 = new("spec-forward-f64", 1e-12, 1e-13,
        "float64, same expressions, other summation order; measured ≤ 4.4e-15 (200 grid specs, lenet5)");

    /// <summary>
    /// Float32 forward of any spec, engine (float32) against twin (float32): torch.testing.assert_close's float32
    /// defaults, <see cref="ForwardFloat32"/>: a dense layer summing thousands of float32 products in another order moves
    /// by up to a few 1e-6, which the absolute part 1e-5 holds.
    /// </summary>
    public static Tolerance SpecForwardFloat32 => ForwardFloat32;

    /// <summary>
    /// Float64 gradients of the mean loss, manual against autograd: sums over batch and positions in other orders.
    /// Gradients here are 1e-5 to 1e-1, so float64 rounding moves them by 1e-17 to 1e-16; atol 1e-14 leaves two orders
    /// above that (reports/grid has each spec's largest difference). A missing or wrong term moves a gradient by far more.
    /// </summary>
    public static readonly Tolerance SpecGradientFloat64 = new("spec-gradient-f64", 1e-10, 1e-14,
        "float64 gradients of the mean loss, other summation order; measured ≤ 4.4e-16 (200 grid specs, lenet5)");

    /// <summary>
    /// Float32 gradients, engine (float32) against autograd (float32): sums of up to ~10^4 products rounded to 6e-8
    /// each, in other orders, which moves a gradient by up to a few 1e-7; where a gradient cancels to near 0 only the
    /// absolute part holds. atol 1e-6 and rtol 1e-4 are assert_close's float32 scale for sums this long.
    /// </summary>
    public static readonly Tolerance SpecGradientFloat32 = new("spec-gradient-f32", 1e-4, 1e-6,
        "float32 gradients, other summation order over long sums; measured ≤ 1.9e-7 over 40 grid specs");

    /// <summary>
    /// Central finite differences (step <see cref="FiniteDifferenceStep"/>) of the float64 mean loss (about 2.3 at
    /// initialisation, unlike ch10's Σ/B² loss of about 0.02): each loss carries ~1e-15 of rounding, so a difference
    /// quotient carries ~1e-9 (2·1e-15 / 2h); atol 1e-8 leaves an order of magnitude above that, rtol 1e-5 bounds the
    /// truncation error h²·f‴ on larger gradients. Probes across a ReLU or max-pool kink are not made.
    /// </summary>
    public static readonly Tolerance SpecFiniteDifference = new("spec-finite-difference", 1e-5, 1e-8,
        "central differences of the mean loss, eps = 1e-6, float64; measured ≤ 1.5e-9");

    /// <summary>
    /// Float64 lockstep: rounding (~1e-16 per operation) compounds over every SGD step, momentum included, and stays
    /// near 1e-15 over a few epochs (SpecLockstepTests). A wrong gradient term or update moves parameters by more than
    /// 1e-4 of their scale within one epoch (SpecLockstepTests: a twin stepping 1% longer), so 1e-8 leaves rounding
    /// many orders to grow and still catches any real fault. Over a long run SGD itself can amplify rounding faster
    /// than that (<see cref="SpecLockstepSensitivityFactor"/>): then the limit follows what one rounding does to the
    /// engine alone.
    /// </summary>
    public static readonly DriftLimit SpecLockstepDriftFloat64 = new("spec lockstep f64 drift", 1e-8,
        "float64 rounding (~1e-16 per operation) compounds over every SGD step, momentum included; a wrong gradient term or " +
        "update moves parameters by more than 1e-4 of their scale within one epoch. Over a long run SGD amplifies rounding " +
        "itself (lenet5: tenfold per epoch from epoch 6), so the limit is the larger of this and 100 times the engine's own " +
        "sensitivity (its drift from itself started one ULP away)");

    /// <summary>
    /// Float32 lockstep (engine and twin both float32): rounding of 6e-8 per operation compounds far faster, to ~1e-7 and
    /// more over a few epochs (SpecLockstepTests). 1e-3 only catches a twin that trains a different model.
    /// </summary>
    public static readonly DriftLimit SpecLockstepDriftFloat32 = new("spec lockstep f32 drift", 1e-3,
        "float32 rounding (6e-8 per operation) compounds far faster; this limit only catches a twin that trains a different model");

    /// <summary>
    /// How far beyond the engine's own sensitivity (<see cref="Specs.LockstepEpoch.Sensitivity"/>: the drift between the
    /// engine and the engine started one ULP away in every weight, same batches, same masks) a lockstep twin may drift.
    /// Over a long run SGD with momentum amplifies a difference of one rounding, about tenfold per epoch (lenet5 in
    /// float64, 60,000 images, from its seventh epoch on), until the twin's drift passes any fixed limit; the engine
    /// against itself one ULP away drifts the same way, with the same test accuracies, so from there on only the
    /// sensitivity tells rounding from a fault. The twin stays within a small factor of it (0.4 to 2.3 times over
    /// lenet5's 20 epochs); 100 leaves room for that spread and still fails a twin whose update is 1% off (drift 1e-4
    /// where the sensitivity is 1e-14).
    /// </summary>
    public const double SpecLockstepSensitivityFactor = 100;

    /// <summary>
    /// The drift a lockstep epoch may reach: <paramref name="limit"/>, or <see cref="SpecLockstepSensitivityFactor"/> times
    /// the engine's own sensitivity at that epoch when that is larger (a sensitivity that is not a finite number is ignored).
    /// </summary>
    public static double SpecLockstepAllowance(double limit, double? sensitivity) =>
        sensitivity is double s && double.IsFinite(s) ? Math.Max(limit, SpecLockstepSensitivityFactor * s) : limit;

    // Last: static fields are initialised in the order they are written, and these hold the ones above.

    /// <summary>
    /// The chapter-10 network's tolerances: set for its Σ CE / B² loss, whose gradients are 1/B of the mean loss's, and
    /// for its float64 engine, which computes NumPy's own expressions (so the float64 rows are held tighter).
    /// </summary>
    public static readonly ParityTolerances Chapter10 = new(ForwardFloat64, ForwardFloat32, GradientFloat64, GradientFloat32,
        FiniteDifference, LockstepDriftFloat64, LockstepDriftFloat32);

    /// <summary>Any other spec's tolerances (mean cross-entropy, the generic engine).</summary>
    public static readonly ParityTolerances Spec = new(SpecForwardFloat64, SpecForwardFloat32, SpecGradientFloat64, SpecGradientFloat32,
        SpecFiniteDifference, SpecLockstepDriftFloat64, SpecLockstepDriftFloat32);

    /// <summary>The tolerances <paramref name="spec"/>'s checks are held to: <see cref="Chapter10"/>'s for ch10, else <see cref="Spec"/>'s.</summary>
    public static ParityTolerances For(Core.Architecture.ArchitectureSpec spec) => spec.IsChapter10 ? Chapter10 : Spec;
}
