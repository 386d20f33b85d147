using CnnParity.Parity.Results;

namespace CnnParity.Reports.Model;

/// <summary>Where the report was made, and by what: enough to rerun it on the same kind of machine.</summary>
/// <param name="CnnParity">the version of CnnParity that made the report (SemVer from git, with the commit id)</param>
public sealed record ReportEnvironment(
    string Cpu, int LogicalCores, int Threads, string Os, string DotNet,
    string CnnParity, string TorchSharp, string LibTorch, string MlNet, string? NumPy);

/// <summary>What was run.</summary>
/// <param name="Grid">positions per side: 26 (seed notebook) or 25 (the book)</param>
public sealed record ReportConfiguration(
    string Dataset, int Seed, int NumKernels, int Grid, int Epochs, int TrainCount, int TestCount,
    int BatchSize, double LearningRate, bool Quick, string PinnedForDeterminism)
{
    public static ReportConfiguration From(CnnParity.Core.Scratch.ScratchConfig c, string dataset, bool quick, string pinned) =>
        new(dataset, (int)c.Seed, c.NumKernels, c.Grid, c.Epochs, c.TrainCount, c.TestCount, c.BatchSize, c.Alpha, quick, pinned);
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
    /// 3: the environment names the CnnParity version that made the report (<c>cnnParity</c>).
    /// 4: "deployed", the exported ONNX model against the from-scratch network and the twin.
    /// </summary>
    public const int SchemaVersion = 4;
}
