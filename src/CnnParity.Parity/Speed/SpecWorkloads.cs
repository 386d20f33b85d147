using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Specs;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity.Speed;

/// <summary>
/// The epoch workloads of a spec: the from-scratch engine (<see cref="SpecTrainer"/>) and its TorchSharp twin
/// (<see cref="SpecTwinEngine"/>) in float64 and float32, each an epoch over the run's training images and its test
/// pass, the twin at each LibTorch thread count of <see cref="TorchRuntime.SpeedThreadCounts"/>; and the exported model's
/// test pass in ONNX Runtime. Each keeps training from where the previous round left it, as a run would.
/// </summary>
public static class SpecWorkloads
{
    /// <summary>The from-scratch engine's row: "from-scratch engine (f64)".</summary>
    public static string EngineName(Dtype dtype) => SpecTraining.Name(twin: false, dtype);

    /// <summary>Every workload, the engine in float64 first (the rows are held against it). The caller disposes them.</summary>
    public static IReadOnlyList<EpochWorkload> InProcess(SpecTrainerOptions options, ScratchData data) =>
    [
        Engine(options with { Dtype = Dtype.Float64 }, data),
        Engine(options with { Dtype = Dtype.Float32 }, data),
        .. TorchRuntime.SpeedThreadCounts.Select(threads => Twin(options with { Dtype = Dtype.Float64 }, data, threads)),
        .. TorchRuntime.SpeedThreadCounts.Select(threads => Twin(options with { Dtype = Dtype.Float32 }, data, threads)),
        OnnxRuntimeWorkload.Create(options.Spec, ParameterSet<double>.Initialize(options.Spec, new NumPyRandomState(options.Seed)),
            options.Seed, options.Threads, data, options.TestCount),
    ];

    /// <summary>The from-scratch engine on its <see cref="SpecTrainerOptions.Threads"/>, in the options' dtype.</summary>
    public static EpochWorkload Engine(SpecTrainerOptions options, ScratchData data)
    {
        var trainer = new SpecTrainer(options, data);
        return new EpochWorkload(EngineName(options.Dtype), () => Seconds(trainer.RunEpoch()));
    }

    /// <summary>
    /// The twin on <paramref name="threads"/> LibTorch intra-op threads (set before each epoch: the setting is process-wide,
    /// and the rounds interleave thread counts). The workload owns the twin.
    /// </summary>
    public static EpochWorkload Twin(SpecTrainerOptions options, ScratchData data, int threads)
    {
        var engine = new SpecTwinEngine(options, data);
        return new EpochWorkload(Workloads.TwinName(options.Dtype, threads), () =>
        {
            TorchSharp.torch.set_num_threads(threads);
            return Seconds(engine.RunEpoch());
        }, Owned: engine);
    }

    static (double Train, double Test) Seconds(EpochOutcome outcome) => (outcome.TrainTime.TotalSeconds, outcome.TestTime.TotalSeconds);
}
