using CnnParity.Parity.Results;

namespace CnnParity.Reports.Model;

/// <summary>Where the report was made, and by what: enough to rerun it on the same kind of machine.</summary>
/// <param name="CnnParity">the version of CnnParity that made the report (SemVer from git, with the commit id)</param>
public sealed record ReportEnvironment(
    string Cpu, int LogicalCores, int Threads, string Os, string DotNet,
    string CnnParity, string TorchSharp, string LibTorch, string MlNet, string? NumPy);

/// <summary>What was run.</summary>
/// <param name="Grid">positions per side: 26 (seed notebook) or 25 (the book)</param>
/// <param name="NumPyExp">the np.exp mirrored: "svml" or "libm"</param>
/// <param name="NumPyExpReason">why that one: detected from this CPU as NumPy 1.24 does, or forced by --numpy-exp</param>
public sealed record ReportConfiguration(
    string Dataset, int Seed, int Kernels, int Grid, int Epochs, int TrainCount, int TestCount,
    int BatchSize, double LearningRate, bool Quick, string PinnedForDeterminism, string NumPyExp, string NumPyExpReason)
{
    public static ReportConfiguration From(CnnParity.Core.Scratch.ScratchConfig c, string dataset, bool quick, string pinned,
        CnnParity.Core.NumPy.NumPyExpChoice exp) =>
        new(dataset, (int)c.Seed, c.Kernels, c.Grid, c.Epochs, c.TrainCount, c.TestCount, c.BatchSize, c.Alpha, quick, pinned,
            exp.Name, exp.Reason);
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
    DeployedModelSection? Deployed = null)         // the exported ONNX model, when the run made one
{
    /// <summary>
    /// 2: speed rows carry round-by-round ratios; the compute floor, the speed goals and the training time.
    /// 3: new fields only: the environment names the CnnParity version that made the report ("cnnParity"); the
    /// configuration says which np.exp was mirrored and why ("numPyExp", "numPyExpChosenBy"); the compute floor's measured
    /// rate says its vector width and method ("vectorBits", "rateMeasuredBy"); each goal names the row it was judged
    /// against ("against"); TorchSharp's speed rows name their LibTorch thread count.
    /// 4: "deployed", the exported ONNX model against the from-scratch network and the twin; speed rows of the test
    /// pass alone ("test pass of N"), ONNX Runtime's among them.
    /// </summary>
    public const int SchemaVersion = 4;
}
