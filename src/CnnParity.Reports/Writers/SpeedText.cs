using System.Globalization;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Model;
using CnnParity.Torch;

namespace CnnParity.Reports.Writers;

/// <summary>
/// The speed section as <c>bench</c> prints it on stdout: what ran, then one line per row (every implementation's epoch,
/// then every test pass, each line starting with the implementation's name), the compute floor and the goals. The numbers
/// are the report's (<see cref="Pipeline.SpeedMeasurement"/>); this only lays them out.
/// </summary>
public static class SpeedText
{
    static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>The lines before the rounds: the run, the data and rounds, np.exp, NumPy.</summary>
    /// <param name="numPy">null where NumPy's program is timed; else why not (it applies to ch10 only)</param>
    public static IEnumerable<string> Header(SpecTrainerOptions o, string dataFolder, int rounds, NumPyExpChoice exp, string? numPy)
    {
        int trained = o.BatchesPerEpoch * o.BatchSize;
        yield return string.Create(Invariant,
            $"cnnparity bench: {o.Spec.DisplayName}, {o.BatchesPerEpoch} batches of {o.BatchSize} ({trained:N0} training images), test pass of {o.TestCount:N0}; " +
            $"{(o.Optimizer != OptimizerSettings.Sgd ? $"{o.Optimizer}, " : "")}lr {o.LearningRate}{(o.Momentum != 0 ? $", momentum {o.Momentum}" : "")}{(o.LearningRateDecay != 1 ? $" (×{o.LearningRateDecay} an epoch)" : "")}" +
            $"{(o.Shuffle ? ", reshuffled every epoch" : "")}; from-scratch threads {o.Threads}, {(int)VectorWidths.Native}-bit vectors, tanh kernel {SimdTanh.Kernel}; " +
            $"LibTorch threads {string.Join(" and ", TorchRuntime.SpeedThreadCounts)}");
        yield return $"spec: {o.Spec.Text}";
        yield return $"data: {dataFolder}; {rounds} measured rounds after a warm-up round, implementations interleaved";
        yield return $"np.exp mirrored: {exp.Name} ({exp.Description}); {exp.Reason}";
        if (NumPyWorkload.AppliesTo(o.Spec))
            yield return numPy is null ? "NumPy: reference/cnn_reference.py with /usr/bin/python3 (its own timings, start-up excluded)" : $"NumPy: not measured: {numPy}";
    }

    /// <summary>The rows, the compute floor and the goals.</summary>
    public static IEnumerable<string> Lines(SpeedSection speed)
    {
        yield return string.Format(Invariant, "{0,-40} {1,-36} {2,10} {3,9} {4,9} {5,10} {6,15}",
            "implementation", "work", "median", "min", "max", "× fastest", "round by round");
        foreach (var r in speed.Rows)
            yield return string.Format(Invariant, "{0,-40} {1,-36} {2,8:F3} s {3,9:F3} {4,9:F3} {5,10:F2} {6,7:F2}–{7:F2}",
                r.Implementation, r.Work, r.MedianSeconds, r.MinSeconds, r.MaxSeconds, r.RatioToFastest, r.RoundRatioMin, r.RoundRatioMax);
        if (speed.Floor is { } f)
        {
            var reference = speed.Rows.FirstOrDefault();
            yield return string.Format(Invariant,
                "compute floor: {0:F2} G multiply-adds per epoch at {1:F1} G/s per thread × {2} threads = {3:F3} s{4}",
                f.MultiplyAdds / 1e9, f.MultiplyAddsPerSecondPerThread / 1e9, f.Threads, f.Seconds,
                reference is null ? "" : string.Format(Invariant, "; {0} at {1:F1}× the floor", reference.Implementation, reference.MedianSeconds / f.Seconds));
            yield return $"  {f.Counted}";
            yield return $"  rate measured here: {f.VectorBits}-bit vectors, {ComputeFloorRow.MeasuredBy}";
        }
        foreach (var g in speed.Goals)
            yield return string.Format(Invariant, "goal: {0,-74} {1} (rounds {2}–{3}) against {4}, target {5}: {6}", g.Name,
                Measured(g.Measured, g.Unit), Measured(g.RoundMin, g.Unit), Measured(g.RoundMax, g.Unit), g.Against.Length == 0 ? "the wall clock" : g.Against,
                g.Target, g.Met switch { true => "met", false => "NOT met", null => $"not judged (set for {g.AppliesTo})" });
    }

    static string Measured(double value, string unit) =>
        unit == "s" ? value.ToString("F1", Invariant) + " s" : value.ToString("F2", Invariant) + "×";
}
