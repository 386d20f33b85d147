using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Testing;

namespace CnnParity.Parity;

/// <summary>Every tolerance the harness uses, each defined once, with the reason for its size.</summary>
public static class Tolerances
{
    /// <summary>
    /// Chapter 10's float64 forward pass. Both sides compute the same float64 expressions; only the order of the 9-term
    /// convolution sums and of the hidden·W dot product differ (TorchSharp blocks them), which moves a result
    /// by a few ULP: ~1e-15 relative. 1e-12 leaves three orders of margin and still catches any real bug.
    /// </summary>
    public static readonly Tolerance ForwardFloat64 = new("forward-f64", 1e-12, 1e-14,
        "float64: same expressions, different summation order; a few ULP expected");

    /// <summary>
    /// Hand-written float64 gradients against autograd: sums of up to 128·676 products in different orders;
    /// relative 1e-10 is 6 orders above float64 rounding yet far below any wrong-derivative error.
    /// </summary>
    public static readonly Tolerance GradientFloat64 = new("gradient-f64", 1e-10, 1e-16,
        "float64 gradients, different summation order");

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
    /// Float64 gradients of the mean loss, manual against autograd: sums over batch and positions in other orders.
    /// Gradients here are 1e-5 to 1e-1, so float64 rounding moves them by 1e-17 to 1e-16; atol 1e-14 leaves two orders
    /// above that (reports/grid has each spec's largest difference). A missing or wrong term moves a gradient by far more.
    /// </summary>
    public static readonly Tolerance SpecGradientFloat64 = new("spec-gradient-f64", 1e-10, 1e-14,
        "float64 gradients of the mean loss, other summation order; measured ≤ 4.4e-16 (200 grid specs, lenet5)");

    /// <summary>
    /// Central finite differences (step <see cref="FiniteDifferenceStep"/>) of the float64 mean loss (about 2.3 at
    /// initialisation, unlike ch10's Σ/B² loss of about 0.02): each loss carries ~1e-15 of rounding, so a difference
    /// quotient carries ~1e-9 (2·1e-15 / 2h); atol 1e-8 leaves an order of magnitude above that, rtol 1e-5 bounds the
    /// truncation error h²·f‴ on larger gradients. Probes across a ReLU or max-pool kink are not made.
    /// </summary>
    public static readonly Tolerance SpecFiniteDifference = new("spec-finite-difference", 1e-5, 1e-8,
        "central differences of the mean loss, eps = 1e-6, float64; measured ≤ 1.5e-9");

    /// <summary>
    /// The first Adam or AdamW step in float64 (<see cref="Specs.FirstStepParity"/>): the step lr·m̂/(√v̂ + eps) is
    /// lr·g/(|g| + eps) in exact arithmetic, whose slope in g is at most lr/eps (at g = 0). A gradient that differs between two
    /// opinions by rounding (within <paramref name="t"/>'s gradient tolerance, atol + rtol·|g|) therefore moves the step by
    /// up to lr·atol/eps + lr·rtol/4: where a gradient is rounding noise near zero, Adam scales that noise by lr/eps (1e5
    /// at lr 1e-3, eps 1e-8), which no SGD step does. The forward tolerance's atol is added for the update's own
    /// rounding. A wrong rule (no bias correction: 3.2 times the step; eps inside the square root; coupled decay) moves
    /// steps of size lr by far more.
    /// </summary>
    public static Tolerance FirstAdamStepFloat64(ParityTolerances t, double learningRate, double eps) =>
        new(FirstAdamStepFloat64Name, t.Forward.Rtol, t.Forward.Atol + learningRate * (t.Gradient.Atol / eps + t.Gradient.Rtol / 4),
            $"float64 first Adam step: the gradient's tolerance times the step's largest slope lr/eps (lr {learningRate:G3}, eps {eps:G3}), " +
            "plus the forward tolerance for the update's own rounding");

    /// <summary>The name of <see cref="FirstAdamStepFloat64"/>, whose size follows the run's learning rate and eps.</summary>
    public const string FirstAdamStepFloat64Name = "spec-adam-step-f64";

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
    public static readonly ParityTolerances Chapter10 = new(ForwardFloat64, GradientFloat64,
        FiniteDifference, LockstepDriftFloat64, LockstepDriftFloat32);

    /// <summary>Any other spec's tolerances (mean cross-entropy, the generic engine).</summary>
    public static readonly ParityTolerances Spec = new(SpecForwardFloat64, SpecGradientFloat64,
        SpecFiniteDifference, SpecLockstepDriftFloat64, SpecLockstepDriftFloat32);

    /// <summary>The float64 tolerance called <paramref name="name"/>, or null (a float32 check is held to the rounding bound instead).</summary>
    public static Tolerance? Named(string name) =>
        new[] { ForwardFloat64, GradientFloat64, FiniteDifference, SpecForwardFloat64, SpecGradientFloat64, SpecFiniteDifference }
            .FirstOrDefault(t => t.Name == name);

    /// <summary>
    /// <see cref="Named(string)"/>, or the first Adam step's tolerance of a run at <paramref name="learningRate"/> with
    /// <paramref name="optimizer"/> (derived from the run's settings, so not one fixed number).
    /// </summary>
    public static Tolerance? Named(string name, double learningRate, Core.Engines.OptimizerSettings optimizer) =>
        Named(name) ?? (name == FirstAdamStepFloat64Name && optimizer.IsAdam ? FirstAdamStepFloat64(Spec, learningRate, optimizer.Eps) : null);

    /// <summary>The tolerances <paramref name="spec"/>'s checks are held to: <see cref="Chapter10"/>'s for ch10, else <see cref="Spec"/>'s.</summary>
    public static ParityTolerances For(Core.Architecture.ArchitectureSpec spec) => spec.IsChapter10 ? Chapter10 : Spec;
}
