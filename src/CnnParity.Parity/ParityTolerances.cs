using CnnParity.Core;
using CnnParity.Testing;

namespace CnnParity.Parity;

/// <summary>
/// The tolerances and drift limits one network's checks are held to, each defined (with the reason for its size) in
/// <see cref="Tolerances"/>: <see cref="Tolerances.Chapter10"/> or <see cref="Tolerances.Spec"/>.
/// </summary>
public sealed record ParityTolerances(
    Tolerance ForwardFloat64, Tolerance ForwardFloat32,
    Tolerance GradientFloat64, Tolerance GradientFloat32,
    Tolerance FiniteDifference,
    DriftLimit LockstepFloat64, DriftLimit LockstepFloat32)
{
    /// <summary>A layer's output, engine against twin, both in <paramref name="dtype"/>.</summary>
    public Tolerance Forward(Dtype dtype) => dtype == Dtype.Float64 ? ForwardFloat64 : ForwardFloat32;

    /// <summary>A parameter's gradient, manual against autograd, both in <paramref name="dtype"/>.</summary>
    public Tolerance Gradient(Dtype dtype) => dtype == Dtype.Float64 ? GradientFloat64 : GradientFloat32;

    /// <summary>The drift limit of a lockstep run in <paramref name="dtype"/>.</summary>
    public DriftLimit Lockstep(Dtype dtype) => dtype == Dtype.Float64 ? LockstepFloat64 : LockstepFloat32;
}
