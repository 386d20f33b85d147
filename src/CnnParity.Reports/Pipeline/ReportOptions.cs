using CnnParity.Core.Scratch;

namespace CnnParity.Reports.Pipeline;

/// <summary>What one report run does.</summary>
/// <param name="Config">the network and training configuration (epochs, test count, threads...)</param>
/// <param name="DataFolder">where the dataset was found (the NumPy reference reads it too)</param>
/// <param name="BenchRepetitions">timed epochs per implementation in the speed section (0 = skip it)</param>
/// <param name="NumPyTests">test images per NumPy epoch in the speed section (its per-image loop is slow)</param>
/// <param name="Exp">the np.exp mirrored (<see cref="ScratchConfig.Exp"/>) and why, for the report</param>
public sealed record ReportOptions(
    ScratchConfig Config, string Dataset, string DataFolder, bool Quick, int BenchRepetitions, int NumPyTests, string PinnedForDeterminism,
    CnnParity.Core.NumPy.NumPyExpChoice Exp);
