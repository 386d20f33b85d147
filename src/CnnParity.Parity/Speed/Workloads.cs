using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Specs;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity.Speed;

/// <summary>
/// The epoch workloads of one run (<see cref="SpecTrainerOptions"/>, ch10 or any spec), built on the same data: the
/// from-scratch rows first (the rows every other is held against), then the TorchSharp twin in float64 and float32 at each
/// LibTorch thread count of <see cref="TorchRuntime.SpeedThreadCounts"/>, then the exported model's test pass in ONNX
/// Runtime. The from-scratch rows are the network's own: for ch10 the fast path and the faithful one (book rule, NumPy's
/// bits); for any other spec the generic engine in float64 and float32. Each keeps training from where the previous round
/// left it, as a run would. The caller disposes them.
/// </summary>
public static class Workloads
{
    public const string ScratchName = "scratch (fast, f64)", ScratchFaithfulName = "scratch (faithful, f64)";

    /// <summary>The row name of the TorchSharp twin in <paramref name="dtype"/> on <paramref name="threads"/> LibTorch threads.</summary>
    public static string TwinName(Dtype dtype, int threads) => $"TorchSharp twin ({dtype.ShortName()}, {threads} thread{(threads == 1 ? "" : "s")})";

    /// <summary>A spec's from-scratch engine row: "from-scratch engine (f64)".</summary>
    public static string EngineName(Dtype dtype) => SpecTraining.Name(twin: false, dtype);

    /// <summary>Every in-process workload of <paramref name="options"/>, the reference row first.</summary>
    public static IReadOnlyList<EpochWorkload> InProcess(SpecTrainerOptions options, ScratchData data) =>
    [
        .. FromScratch(options, data),
        .. TorchRuntime.SpeedThreadCounts.Select(threads => Twin(options with { Dtype = Dtype.Float64 }, data, threads)),
        .. TorchRuntime.SpeedThreadCounts.Select(threads => Twin(options with { Dtype = Dtype.Float32 }, data, threads)),
        OnnxRuntimeWorkload.Create(options.Spec, ParameterSet<double>.Initialize(options.Spec, new NumPyRandomState(options.Seed), options.Model.Initialisation),
            options.Seed, options.Threads, data, options.TestCount),
    ];

    /// <summary>The from-scratch rows: ch10's fast and faithful paths, or a spec's engine in float64 and float32.</summary>
    public static IReadOnlyList<EpochWorkload> FromScratch(SpecTrainerOptions options, ScratchData data) => options.Spec.IsChapter10
        ? [Scratch(options, data), ScratchFaithful(options, data)]
        : [Engine(options with { Dtype = Dtype.Float64 }, data), Engine(options with { Dtype = Dtype.Float32 }, data)];

    /// <summary>
    /// The chapter-10 network as it trains: the fast path (<see cref="ScratchEngine.Fast"/>), book mode, its batches then the
    /// batched test pass. Bit for bit the faithful path's numbers (the tests hold the two together).
    /// </summary>
    public static EpochWorkload Scratch(SpecTrainerOptions options, ScratchData data) => Scratch(options, data, ScratchEngine.Fast, ScratchName);

    /// <summary>The faithful reference path (<see cref="ScratchEngine.Faithful"/>: <see cref="ScratchNetwork"/>), book mode.</summary>
    public static EpochWorkload ScratchFaithful(SpecTrainerOptions options, ScratchData data) =>
        Scratch(options, data, ScratchEngine.Faithful, ScratchFaithfulName);

    static EpochWorkload Scratch(SpecTrainerOptions options, ScratchData data, ScratchEngine engine, string name)
    {
        var config = Chapter10Engine.Config(options, TrainingMode.Book) with { Epochs = int.MaxValue, Engine = engine };
        var trainer = new ScratchTrainer(config, data);
        return new EpochWorkload(name, () =>
        {
            var r = trainer.RunEpoch();
            return (r.TrainTime.TotalSeconds, r.TestTime.TotalSeconds);
        });
    }

    /// <summary>A spec's from-scratch engine on its <see cref="SpecTrainerOptions.Threads"/>, in the options' dtype.</summary>
    public static EpochWorkload Engine(SpecTrainerOptions options, ScratchData data)
    {
        var trainer = new SpecTrainer(options with { Epochs = int.MaxValue }, data);
        return new EpochWorkload(EngineName(options.Dtype), () => Seconds(trainer.RunEpoch()));
    }

    /// <summary>
    /// The twin trained alone with the run's options (<see cref="SpecTwinEngine"/>: for ch10 the corrected rule with the
    /// notebook's masks) on <paramref name="threads"/> LibTorch intra-op threads (set before each epoch: the setting is
    /// process-wide, and the rounds interleave thread counts). The workload owns the twin.
    /// </summary>
    public static EpochWorkload Twin(SpecTrainerOptions options, ScratchData data, int threads)
    {
        var engine = new SpecTwinEngine(options with { Epochs = int.MaxValue }, data);
        return new EpochWorkload(TwinName(options.Dtype, threads), () =>
        {
            TorchSharp.torch.set_num_threads(threads);
            return Seconds(engine.RunEpoch());
        }, Owned: engine);
    }

    static (double Train, double Test) Seconds(EpochOutcome outcome) => (outcome.TrainTime.TotalSeconds, outcome.TestTime.TotalSeconds);
}
