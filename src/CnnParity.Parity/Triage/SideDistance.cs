namespace CnnParity.Parity.Triage;

/// <summary>
/// One side of a check (engine, TorchSharp twin, ONNX Runtime, ...) against the float64 truth on one tensor: its worst
/// element relative to that element's bound — how far it is, where, and how many bounds that is — and its largest
/// absolute distance anywhere.
/// </summary>
/// <param name="Side">who computed it: "engine", "TorchSharp twin", "ONNX Runtime", "ML.NET", "NumPy golden"...</param>
/// <param name="Distance">|side − truth| at <paramref name="Index"/></param>
/// <param name="Index">the flat index of the element with the largest ratio (-1 when nothing was compared)</param>
/// <param name="Ratio">the largest |side − truth| / bound: 1 is the edge of rounding; infinite where the side gave a NaN
/// or an infinity and the truth did not</param>
/// <param name="MaxAbs">the largest |side − truth| over the tensor</param>
/// <param name="Outside">elements beyond their bound</param>
/// <param name="Count">elements compared</param>
/// <param name="Flips">the side's branch decisions that differ from the truth's, where they bear on this tensor (null: none to compare)</param>
public sealed record SideDistance(string Side, double Distance, long Index, double Ratio, double MaxAbs, long Outside, long Count,
    BranchFlips? Flips = null)
{
    /// <summary>Every element within its bound, and every decision that differs from the truth's made within rounding.</summary>
    public bool Within => Ratio <= 1 && (Flips?.Beyond ?? 0) == 0;

    /// <summary>Decisions that rounding made otherwise than the truth (counted, not failed).</summary>
    public long DecidedByRounding => Flips?.Decided ?? 0;
}
