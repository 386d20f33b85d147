using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Results;

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
/// <param name="Momentum">SGD momentum of a spec's training; null for ch10, whose rules have none</param>
/// <param name="LearningRateDecay">a spec's learning rate factor per epoch (ExponentialLR's γ); null for ch10</param>
/// <param name="Shuffle">whether a spec's training reshuffled its images every epoch; null for ch10, which never does</param>
public sealed record ReportConfiguration(
    string Dataset, int Seed, int? NumKernels, int? Grid, int Epochs, int TrainCount, int TestCount,
    int BatchSize, double LearningRate, bool Quick, string PinnedForDeterminism, string NumPyExp, string NumPyExpReason,
    string Arch = ArchitecturePresets.Chapter10Name, string? Spec = null, double? Momentum = null, bool? Shuffle = null, double? LearningRateDecay = null)
{
    /// <summary>The chapter-10 network (its book rule, its printed run, its NumPy program).</summary>
    public bool IsChapter10 => Arch == ArchitecturePresets.Chapter10Name;

    /// <summary>This is the configuration of the book's printed run.</summary>
    public bool IsBookPrintedRun => NumKernels is int k && Grid is int g && BookPrintedRun.AppliesTo(k, g);

    public static ReportConfiguration From(ScratchConfig c, string dataset, bool quick, string pinned, NumPyExpChoice exp) =>
        new(dataset, (int)c.Seed, c.NumKernels, c.Grid, c.Epochs, c.TrainCount, c.TestCount, c.BatchSize, c.Alpha, quick, pinned,
            exp.Name, exp.Reason, ArchitecturePresets.Chapter10Name, ArchitectureSpec.Chapter10(c.NumKernels, c.Grid).Text);

    /// <summary>A spec's run: the engine's and the twin's options (both train the same way).</summary>
    public static ReportConfiguration From(SpecTrainerOptions o, string dataset, bool quick, string pinned, NumPyExpChoice exp) =>
        new(dataset, (int)o.Seed, null, null, o.Epochs, o.TrainCount, o.TestCount, o.BatchSize, o.LearningRate, quick, pinned,
            exp.Name, exp.Reason, o.Spec.DisplayName, o.Spec.Text, o.Momentum, o.Shuffle, o.LearningRateDecay);
}

/// <summary>Everything a parity report says. The writers only format this; they decide nothing.</summary>
public sealed record ParityReport(
    string Verdict,                                // "PASS" or "FAIL"
    IReadOnlyList<string> Reasons,                 // why, one line each (failed checks, divergence)
    ReportEnvironment Environment,
    ReportConfiguration Configuration,
    IReadOnlyList<LayerComparison> Forward,
    IReadOnlyList<GradientComparison> Gradients,
    IReadOnlyList<BookRuleFinding> BookRule,
    IReadOnlyList<TrainingRun> Training,           // every model, incl. the ML.NET baseline
    SpeedSection Speed,
    DeployedModelSection? Deployed = null,         // the exported ONNX model, when the run made one
    BackendCrash? Backend = null)                  // LibTorch crashed: the run has no TorchSharp results (issue 20)
{
    /// <summary>
    /// 2: speed rows carry round-by-round ratios; the compute floor, the speed goals and the training time.
    /// 3: new fields only: the environment names the CnnParity version that made the report ("cnnParity"); the
    /// configuration says which np.exp was mirrored and why ("numPyExp", "numPyExpChosenBy"); the compute floor's measured
    /// rate says its vector width and method ("vectorBits", "rateMeasuredBy"); each goal names the row it was judged
    /// against ("against"); TorchSharp's speed rows name their LibTorch thread count.
    /// 4: "deployed", the exported ONNX model against the from-scratch network and the twin; speed rows of the test
    /// pass alone ("test pass of N"), ONNX Runtime's among them.
    /// 5: reports of any spec (<c>report --arch</c>): the configuration names the network ("arch", "spec") and a spec's
    /// SGD momentum ("momentum", null for ch10) and, since shuffling, whether it reshuffled every epoch ("shuffle", spec reports only) and its learning rate decay ("learningRateDecay", spec reports only); "kernels" and "grid" are null for a spec other than ch10; a spec's
    /// forward rows are its layers by name, its gradient rows its parameters by name, its lockstep twin's
    /// "maxParamRelDiff" the drift (max |twin − engine| / max |engine| per tensor), and its "bookRule" is empty.
    /// Since issue 20 (new keys only, written only when they apply): "backend" after "reasons" when LibTorch crashed the
    /// run; the environment's "libTorchWarnings" when LibTorch warned.
    /// </summary>
    public const int SchemaVersion = 5;
}
