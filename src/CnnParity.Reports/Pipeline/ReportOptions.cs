using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Reports.Pipeline;

/// <summary>What one report run does, for any network (ch10 or a spec).</summary>
/// <param name="Training">the network and how its engine and twin train (epochs, images, batch, SGD, seed, threads, np.exp;
/// the spec's model options): the lockstep run, ch10's book-rule run, the deployed weights and every speed row use these</param>
/// <param name="DataFolder">where the dataset was found (NumPy's reference program reads it too)</param>
/// <param name="BenchRepetitions">timed epochs per implementation in the speed section (0 = skip it)</param>
/// <param name="NumPyTests">test images per NumPy epoch in the speed section (ch10's reference program; its per-image loop is slow)</param>
/// <param name="Exp">the np.exp mirrored (<see cref="SpecTrainerOptions.Exp"/>) and why, for the report</param>
public sealed record ReportOptions(
    SpecTrainerOptions Training, string Dataset, string DataFolder, bool Quick, int BenchRepetitions, int NumPyTests, string PinnedForDeterminism,
    NumPyExpChoice Exp);
