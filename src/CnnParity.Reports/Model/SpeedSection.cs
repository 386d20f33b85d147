namespace CnnParity.Reports.Model;

/// <summary>One implementation's time for one unit of work, from one interleaved run.</summary>
/// <param name="RatioToFastest">median / fastest median for the same work (1 = fastest)</param>
/// <param name="RoundRatioMin">the smallest of this row's per-round times over the fastest's time in the same round</param>
/// <param name="RoundRatioMax">the largest of them: with <paramref name="RoundRatioMin"/>, the ratio's spread</param>
public sealed record SpeedRow(
    string Implementation, string Work, int Repetitions,
    double MedianSeconds, double MinSeconds, double MaxSeconds, double RatioToFastest,
    double RoundRatioMin, double RoundRatioMax);

/// <summary>One speed goal (<see cref="SpeedGoals"/>) and what this run measured for it.</summary>
/// <param name="Target">the goal as a reader reads it, e.g. "≥ 10×"</param>
/// <param name="RoundMin">the measured value's spread over the rounds (equal to Measured for a one-off time)</param>
/// <param name="Met">null when the goal does not apply to this configuration (see <paramref name="AppliesTo"/>)</param>
/// <param name="Against">the row the fast path was held against (e.g. TorchSharp at its faster thread count), "" for a wall time</param>
public sealed record SpeedGoal(
    string Name, double Measured, double RoundMin, double RoundMax, string Unit, string Target, string AppliesTo, bool? Met, string Against);

/// <summary>
/// The compute floor: the epoch's multiply-adds at the peak rate measured on this machine
/// (<see cref="CnnParity.Core.Scratch.Fast.MultiplyAddPeak"/>: a rounded multiply and a rounded add per lane, at
/// <paramref name="VectorBits"/>-bit vectors, on <paramref name="Threads"/> threads at once, the from-scratch threads).
/// </summary>
/// <param name="Counted">what the multiply-adds count and leave out, in a reader's words (<see cref="CnnParity.Parity.Speed.ComputeFloor.Counted"/>)</param>
public sealed record ComputeFloorRow(double MultiplyAdds, double MultiplyAddsPerSecondPerThread, int Threads, double Seconds, int VectorBits,
    string Counted = "")
{
    /// <summary>How the rate was measured, in a reader's words.</summary>
    public static string MeasuredBy => CnnParity.Core.Scratch.Fast.MultiplyAddPeak.Method;
}

/// <summary>
/// The speed section: every implementation's epoch time (interleaved rounds), the compute floor, the wall time of ch10's
/// from-scratch book-rule run, and the goals checked against them. Speed never decides the verdict.
/// </summary>
/// <param name="NumPyMissing">why NumPy's reference program (ch10's notebook) was not timed where it applies; null when it
/// was, or when the network is not the notebook's</param>
public sealed record SpeedSection(
    IReadOnlyList<SpeedRow> Rows, ComputeFloorRow? Floor, double? ScratchBookTrainingSeconds, IReadOnlyList<SpeedGoal> Goals,
    string? NumPyMissing = null)
{
    public static readonly SpeedSection Empty = new([], null, null, []);
}
