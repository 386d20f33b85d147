using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Specs;

namespace CnnParity.Cli.Supervision;

/// <summary>
/// What a run's pre-flight probe asks LibTorch to do, before the run: every op of the spec at the shapes its layers
/// give, in float64 and float32 (a run's forward and gradient checks compute in both, whatever its lockstep dtype), at
/// every batch size the run gives LibTorch: its training batch (only whole batches are trained,
/// <see cref="SpecTrainerOptions.BatchesPerEpoch"/>) and the test set's chunks of <see cref="SpecForwardParity.Chunk"/>
/// and 1000 with their remainders. The crashes of issue 20 depend on the shape and the batch, not on the numbers, so
/// these are the ones that matter. Every network, ch10 included, is probed the same way.
/// </summary>
internal static class BackendProbe
{
    static readonly Dtype[] Dtypes = [Dtype.Float64, Dtype.Float32];

    /// <summary>A run as parity, report and bench make it from their options: its spec, training batch and test images.</summary>
    public static IReadOnlyList<DoctorCase> For(SpecTrainerOptions run) => Cases(run.Spec, [run.BatchSize], run.TestCount);

    /// <summary>A run that trains nothing (onnx-check): the forward passes over <paramref name="testCount"/> test images.</summary>
    public static IReadOnlyList<DoctorCase> Forward(ArchitectureSpec spec, int testCount) => Cases(spec, [], testCount);

    // The probe's cases, in one group (one worker process).
    static IReadOnlyList<DoctorCase> Cases(ArchitectureSpec spec, int[] training, int testCount)
    {
        int[] forward = [.. new[] { SpecForwardParity.Chunk, 1000 }.SelectMany(chunk => new[] { Math.Min(chunk, testCount), testCount > chunk ? testCount % chunk : 0 })];
        return [.. DoctorSweep.ForSpec(spec, forward, training, Dtypes).Select(c => c with { Group = "pre-flight" })];
    }
}
