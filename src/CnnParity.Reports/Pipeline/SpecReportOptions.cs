using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Reports.Pipeline;

/// <summary>What one report run of a spec other than ch10 does.</summary>
/// <param name="Training">the spec and how the engine and its twin train it (epochs, images, batch, SGD, seed, threads,
/// np.exp): the lockstep run, the deployed weights and every speed row use these</param>
/// <param name="BenchRepetitions">timed epochs per implementation in the speed section (0 = skip it)</param>
/// <param name="Exp">the np.exp mirrored (<see cref="SpecTrainerOptions.Exp"/>) and why, for the report</param>
public sealed record SpecReportOptions(
    SpecTrainerOptions Training, string Dataset, bool Quick, int BenchRepetitions, string PinnedForDeterminism, NumPyExpChoice Exp);
