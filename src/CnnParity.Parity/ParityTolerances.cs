using CnnParity.Core;
using CnnParity.Testing;

namespace CnnParity.Parity;

/// <summary>
/// The float64 tolerances and the drift limits one network's checks are held to, each defined (with the reason for its
/// size) in <see cref="Tolerances"/>: <see cref="Tolerances.Chapter10"/> or <see cref="Tolerances.Spec"/>. A float32
/// result has no tolerance of its own: it is held to the float64 truth within the rounding bound the truth carries
/// (<see cref="Triage.RoundingBound"/>).
/// </summary>
/// <param name="Forward">a layer's output: two float64 opinions agree within this</param>
/// <param name="Gradient">a parameter's gradient: likewise</param>
/// <param name="FiniteDifference">a float64 gradient against central differences of the float64 loss</param>
public sealed record ParityTolerances(
    Tolerance Forward,
    Tolerance Gradient,
    Tolerance FiniteDifference,
    DriftLimit LockstepFloat64, DriftLimit LockstepFloat32)
{
    /// <summary>The drift limit of a lockstep run in <paramref name="dtype"/>.</summary>
    public DriftLimit Lockstep(Dtype dtype) => dtype == Dtype.Float64 ? LockstepFloat64 : LockstepFloat32;
}
