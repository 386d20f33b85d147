using CnnParity.Core;

namespace CnnParity.Reports;

/// <summary>The lockstep drift limits of the verdict: each defined here and nowhere else.</summary>
public static class DriftLimits
{
    /// <summary>
    /// Final max relative parameter difference between the from-scratch network and its TorchSharp twin
    /// trained in lockstep (same batches, same dropout masks) in float64.
    /// </summary>
    public static readonly DriftLimit LockstepFloat64 = new(
        "lockstep f64 final parameter drift", CnnParity.Parity.Tolerances.LockstepMaxParameterRelDiff,
        CnnParity.Parity.Tolerances.LockstepWhy);

    /// <summary>The same for a float32 twin (parity --dtype f32).</summary>
    public static readonly DriftLimit LockstepFloat32 = new(
        "lockstep f32 final parameter drift", CnnParity.Parity.Tolerances.LockstepMaxParameterRelDiffFloat32,
        CnnParity.Parity.Tolerances.LockstepFloat32Why);

    public static DriftLimit Lockstep(Dtype dtype) => dtype == Dtype.Float32 ? LockstepFloat32 : LockstepFloat64;
}
