namespace CnnParity.Reports;

/// <summary>The verdict's thresholds that are not tensor tolerances: each defined here and nowhere else.</summary>
public static class Thresholds
{
    /// <summary>
    /// Final max relative parameter difference between the from-scratch network and its TorchSharp twin
    /// trained in lockstep (same batches, same dropout masks) in float64.
    /// </summary>
    public static readonly Threshold LockstepFinalParamRelDiff = new(
        "lockstep f64 final parameter drift", CnnParity.Parity.Tolerances.LockstepMaxParameterRelDiff,
        CnnParity.Parity.Tolerances.LockstepWhy);

    /// <summary>The same for a float32 twin (parity --dtype f32).</summary>
    public static readonly Threshold LockstepFinalParamRelDiffFloat32 = new(
        "lockstep f32 final parameter drift", CnnParity.Parity.Tolerances.LockstepMaxParameterRelDiffFloat32,
        CnnParity.Parity.Tolerances.LockstepFloat32Why);

    public static Threshold Lockstep(string dtype) => dtype == "f32" ? LockstepFinalParamRelDiffFloat32 : LockstepFinalParamRelDiff;

    /// <summary>
    /// A spec's lockstep run: the drift (max |twin − engine| / max |engine| over each tensor, the largest tensor's) after
    /// the last epoch, engine and twin both in <paramref name="dtype"/>.
    /// </summary>
    public static Threshold SpecLockstep(CnnParity.Core.Dtype dtype) => dtype == CnnParity.Core.Dtype.Float64
        ? new("spec lockstep f64 drift", CnnParity.Parity.Tolerances.SpecLockstepDriftFloat64, CnnParity.Parity.Tolerances.SpecLockstepDriftFloat64Why)
        : new("spec lockstep f32 drift", CnnParity.Parity.Tolerances.SpecLockstepDriftFloat32, CnnParity.Parity.Tolerances.SpecLockstepDriftFloat32Why);
}
