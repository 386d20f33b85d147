using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;

namespace CnnParity.Reports.Model;

/// <summary>Where the report was made, and by what: enough to rerun it on the same kind of machine.</summary>
/// <param name="CnnParity">the version of CnnParity that made the report (SemVer from git, with the commit id)</param>
/// <param name="LibTorchWarnings">each distinct warning LibTorch printed during the run, with its count (the console
/// shows each once); null or empty when it printed none</param>
public sealed record ReportEnvironment(
    string Cpu, int LogicalCores, int Threads, string Os, string DotNet,
    string CnnParity, string TorchSharp, string LibTorch, string MlNet, string? NumPy,
    IReadOnlyList<string>? LibTorchWarnings = null);

/// <summary>What was run.</summary>
/// <param name="NumKernels">num_kernels of ch10; null for any other spec</param>
/// <param name="Grid">positions per side of ch10: 26 (seed notebook) or 25 (the book); null for any other spec</param>
/// <param name="NumPyExp">the np.exp mirrored: "svml" or "libm"</param>
/// <param name="NumPyExpReason">why that one: detected from this CPU as NumPy 1.24 does, or forced by --numpy-exp</param>
/// <param name="Arch">the network: "ch10", a preset's name (lenet5) or a spec's text</param>
/// <param name="Spec">the spec's canonical text (for ch10, its kernels and crop written out)</param>
/// <param name="Momentum">SGD momentum of the engine's and the twin's training (0 for ch10, whose rules have none)</param>
/// <param name="LearningRateDecay">the learning rate's factor per epoch (ExponentialLR's γ; 1: constant, as ch10's)</param>
/// <param name="Shuffle">whether the training reshuffled its images every epoch (never for ch10)</param>
/// <param name="Optimizer">the engine's and the twin's optimizer (null: SGD without weight decay, as every run before Adam)</param>
public sealed record ReportConfiguration(
    string Dataset, int Seed, int? NumKernels, int? Grid, int Epochs, int TrainCount, int TestCount,
    int BatchSize, double LearningRate, bool Quick, string PinnedForDeterminism, string NumPyExp, string NumPyExpReason,
    string Arch = ArchitecturePresets.Chapter10Name, string? Spec = null, double Momentum = 0, bool Shuffle = false, double LearningRateDecay = 1,
    OptimizerSettings? Optimizer = null)
{
    /// <summary>The optimizer, SGD without weight decay when none was recorded.</summary>
    public OptimizerSettings Rule => Optimizer ?? OptimizerSettings.Sgd;

    /// <summary>This is the configuration of the book's printed run.</summary>
    public bool IsBookPrintedRun => NumKernels is int k && Grid is int g && BookPrintedRun.AppliesTo(k, g);

    /// <summary>The run's configuration: the network, and how its engine and twin train (both the same way).</summary>
    public static ReportConfiguration From(Pipeline.ReportOptions options) =>
        From(options.Training, options.Dataset, options.Quick, options.PinnedForDeterminism, options.Exp);

    /// <summary>The same from the run's options alone: the report of a run that LibTorch crashed, written by a parent that never loaded the data (issue 20).</summary>
    public static ReportConfiguration From(SpecTrainerOptions o, string dataset, bool quick, string pinned, NumPyExpChoice exp)
    {
        var notebook = o.Spec.IsChapter10 ? NotebookLayout.Of(o.Spec) : null;
        return new(dataset, (int)o.Seed, notebook?.NumKernels, notebook?.Grid, o.Epochs, o.TrainCount, o.TestCount, o.BatchSize,
            o.LearningRate, quick, pinned, exp.Name, exp.Reason, o.Spec.DisplayName, o.Spec.Text,
            o.Momentum, o.Shuffle, o.LearningRateDecay, o.Optimizer);
    }
}

/// <summary>Everything a parity report says. The writers only format this; they decide nothing.</summary>
/// <param name="Verdict">"PASS" or "FAIL"</param>
/// <param name="Reasons">why, one line each (failed checks, divergence)</param>
/// <param name="Checks">the network's checks row by row: forward, gradients, the lockstep epochs and their limit</param>
/// <param name="BookRule">ch10's book-rule findings, at initialisation and after the book run; empty for any other spec</param>
/// <param name="Training">every model's run, the lockstep pair and the ML.NET baseline among them</param>
/// <param name="Deployed">the exported ONNX model, when the run made one</param>
/// <param name="Backend">LibTorch crashed the run (issue 20): it has no TorchSharp results, and this says how</param>
public sealed record ParityReport(
    string Verdict,
    IReadOnlyList<string> Reasons,
    ReportEnvironment Environment,
    ReportConfiguration Configuration,
    SpecParityResult Checks,
    IReadOnlyList<BookRuleFinding> BookRule,
    IReadOnlyList<TrainingRun> Training,
    SpeedSection Speed,
    DeployedModelSection? Deployed = null,
    BackendCrash? Backend = null)
{
    /// <summary>The forward rows of <see cref="Checks"/>.</summary>
    public IReadOnlyList<TriagedCheck> Forward => Checks.Forward;

    /// <summary>The gradient rows of <see cref="Checks"/>.</summary>
    public IReadOnlyList<TriagedCheck> Gradients => Checks.Gradients;

    /// <summary>
    /// The version of both JSON files CnnParity writes: parity-report.json (<see cref="Writers.JsonReportWriter"/>) and the
    /// parity file of <c>parity --json</c>, <c>parity --grid</c> and <c>report merge</c> (<see cref="Specs.SpecParityJson"/>).
    /// 2: speed rows carry round-by-round ratios; the compute floor, the speed goals and the training time.
    /// 3: new fields only: the environment names the CnnParity version that made the report ("cnnParity"); the
    /// configuration says which np.exp was mirrored and why ("numPyExp", "numPyExpChosenBy"); the compute floor's measured
    /// rate says its vector width and method ("vectorBits", "rateMeasuredBy"); each goal names the row it was judged
    /// against ("against"); TorchSharp's speed rows name their LibTorch thread count.
    /// 4: "deployed", the exported ONNX model against the from-scratch network and the twin; speed rows of the test
    /// pass alone ("test pass of N"), ONNX Runtime's among them.
    /// 5: reports of any spec (<c>report --arch</c>): the configuration names the network ("arch", "spec") and a spec's
    /// SGD momentum ("momentum", null for ch10) and, since shuffling, whether it reshuffled every epoch ("shuffle", spec reports only) and its learning rate decay ("learningRateDecay", spec reports only), and since Adam its optimizer ("optimizer": sgd, adam or adamw; "weightDecay"; "beta1", "beta2", "eps" for Adam's, null for SGD's); "kernels" and "grid" are null for a spec other than ch10; a spec's
    /// forward rows are its layers by name, its gradient rows its parameters by name, its lockstep twin's
    /// "maxParamRelDiff" the drift (max |twin − engine| / max |engine| per tensor), and its "bookRule" is empty.
    /// 6: one check pipeline and one schema for every network. ch10 is the <c>ch10</c> spec with the notebook's options:
    /// its forward rows are the spec's layers (conv1, crop, tanh1, dropout1, flatten, dense1, loss; no longer conv_output,
    /// tanh, dropout, logits, softmax), its gradient rows the spec's parameters in PyTorch's layout (conv1.weight,
    /// dense1.weight; no longer kernels, weights_1_2), its float32 rows the float32 engine against the float32 twin, its
    /// lockstep run the engine against the twin with the one-ULP sensitivity (as any spec's), its "momentum" 0, its
    /// "shuffle" false and its "learningRateDecay" 1 (written for every network now). The report's forward and gradient rows
    /// are written as the parity file's (one line each, the distance's fields flat, the tolerance by name, defined once in
    /// "tolerances"), and it carries the lockstep epochs as the parity file does ("lockstepLimit", "lockstep"). The parity
    /// file (kind "cnnparity-spec-parity", formerly its own schema 2) shares this version; <c>parity --json</c> writes it
    /// for ch10 too (formerly the report's schema 5 without speed), and each result adds "text" (the spec's canonical text
    /// where "spec" names a preset), "bookRule" (ch10's findings at initialisation, else empty) and "flips" (the lockstep
    /// run's flipped test predictions). The compute floor says what it counts ("counted"). Earlier files are not rewritten;
    /// <c>report merge</c> still reads parity files of schema 1 and 2 (reports/grid), where the new fields are absent.
    /// Since issue 20 (new keys only, written only when they apply): "backend" after "reasons", in both files, when LibTorch crashed the
    /// run; the environment's "libTorchWarnings" when LibTorch warned.
    /// 7: every forward and gradient row is a check judged against the float64 truth: "kind", "tensor", "dtype", "scope",
    /// "shape", "truth" (where the truth came from), "bound" (a float64 tolerance's name, or "rounding bound" for float32),
    /// "sides" (each side's "maxAbs" from the truth, its worst element's "worstRatio" to its bound, "worstDistance",
    /// "worstIndex", "worstAt", "outside", "count", the branch decisions it took otherwise than the truth,
    /// "decidedByRounding" and "decidedBeyondRounding", and "within"), "pass", "verdict" and, when it fails, "failure" (the
    /// line that names the side). The float64 gradient rows against finite differences are checks of scope "finite
    /// differences". "tolerances" lists the float64 tolerances only. The deployed model's "checks" are the same kind of
    /// row (every implementation against the float64 truth) and its "agreements" are each implementation's classes against
    /// the truth's. <c>report merge</c> reads schema 7 only.
    /// </summary>
    public const int SchemaVersion = 7;
}
