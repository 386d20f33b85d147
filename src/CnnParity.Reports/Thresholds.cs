namespace CnnParity.Reports;

/// <summary>The verdict's thresholds that are not tensor tolerances: each defined here and nowhere else.</summary>
public static class Thresholds
{
    /// <summary>
    /// Final max relative parameter difference between the from-scratch network and its TorchSharp twin
    /// trained in lockstep (same batches, same dropout masks) in float64.
    /// </summary>
    public static readonly Threshold LockstepFinalParamRelDiff = new(
        "lockstep f64 final parameter drift", 1e-8,
        "float64 rounding (~1e-16 per operation) compounds over every minibatch step of the run; 1e-8 leaves " +
        "many orders of magnitude for that drift while a wrong gradient term moves a parameter by > 1e-3 within an epoch");
}
