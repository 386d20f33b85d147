namespace CnnParity.Parity.Specs;

/// <summary>
/// One epoch of the from-scratch engine and its twin trained in lockstep (same batches, same masks, same SGD).
/// </summary>
/// <param name="Drift">after the epoch, the largest parameter difference, relative to its tensor's largest
/// magnitude (max over tensors of max|twin − engine| / max|engine|): unlike an elementwise relative difference,
/// it does not blow up on a parameter that happens to pass near zero</param>
/// <param name="Sensitivity">the same measure between the engine and the engine started one ULP away in every weight
/// (same batches, same masks): how far one rounding alone has carried the run by this epoch; null where not measured</param>
/// <param name="EngineFromTruth">a float32 run only: the same measure between the engine and the float64 truth (the engine
/// in float64 from the same float32 start, same batches, same masks)</param>
/// <param name="TwinFromTruth">likewise for the twin</param>
public sealed record LockstepEpoch(int Epoch, double EngineLoss, double TwinLoss, double EngineTestAcc, double TwinTestAcc, double Drift,
    double? Sensitivity = null, double? EngineFromTruth = null, double? TwinFromTruth = null)
{
    /// <summary>The drift this epoch may reach under <paramref name="limit"/> (<see cref="Tolerances.SpecLockstepAllowance"/>).</summary>
    public double Allowance(double limit) => Tolerances.SpecLockstepAllowance(limit, Sensitivity);

    /// <summary>
    /// The drifts judged: in a float32 run each side's from the float64 truth (by side name), in a float64 run the engine's
    /// from the twin (they are each other's truth, two float64 opinions).
    /// </summary>
    public IEnumerable<(string Side, double Drift)> Judged =>
        EngineFromTruth is double e && TwinFromTruth is double t
            ? [(Triage.Sides.Engine, e), (Triage.Sides.Twin, t)]
            : [($"{Triage.Sides.Engine} and {Triage.Sides.Twin}", Drift)];
}
