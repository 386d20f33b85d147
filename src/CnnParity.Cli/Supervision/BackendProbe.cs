using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Specs;

namespace CnnParity.Cli.Supervision;

/// <summary>
/// What a run's pre-flight probe asks LibTorch to do, before the run: every op of the spec at the shapes its layers
/// give, in each dtype the run computes in, at every batch size the run gives LibTorch (its training batch and the
/// last, shorter one; the test set's chunks of <see cref="SpecForwardParity.Chunk"/> and 1000 and their remainders).
/// The crashes of issue 20 depend on the shape and the batch, not on the numbers, so these are the ones that matter.
/// </summary>
internal static class BackendProbe
{
    /// <summary>
    /// The probe of a run of any network, ch10 included, as parity, report and bench make it from their options: its spec,
    /// batch and images, in float64 and float32 (the forward and gradient checks run in both, whatever the lockstep dtype).
    /// </summary>
    public static IReadOnlyList<DoctorCase> For(SpecTrainerOptions run) =>
        For(run.Spec, run.BatchSize, run.TrainCount, run.TestCount, [Dtype.Float64, Dtype.Float32]);

    /// <summary>The probe's cases, in one group (one worker process).</summary>
    public static IReadOnlyList<DoctorCase> For(ArchitectureSpec spec, int batch, int trainCount, int testCount, IEnumerable<Dtype> dtypes, bool trains = true)
    {
        int[] training = trains ? [Math.Min(batch, trainCount), trainCount > batch ? trainCount % batch : 0] : [];
        int[] forward = [.. new[] { SpecForwardParity.Chunk, 1000 }.SelectMany(chunk => new[] { Math.Min(chunk, testCount), testCount > chunk ? testCount % chunk : 0 })];
        return [.. DoctorSweep.ForSpec(spec, forward, training, dtypes).Select(c => c with { Group = "pre-flight" })];
    }
}
