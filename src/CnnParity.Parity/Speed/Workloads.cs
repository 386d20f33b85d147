using CnnParity.Core;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Torch;

namespace CnnParity.Parity.Speed;

/// <summary>The epoch workloads of every implementation, built on the same data and configuration.</summary>
public static class Workloads
{
    public const string ScratchName = "scratch (fast, f64)", ScratchFaithfulName = "scratch (faithful, f64)";

    /// <summary>The row name of the TorchSharp twin in <paramref name="dtype"/> on <paramref name="threads"/> LibTorch threads.</summary>
    public static string TwinName(Dtype dtype, int threads) => $"TorchSharp twin ({dtype.ShortName()}, {threads} thread{(threads == 1 ? "" : "s")})";

    /// <summary>
    /// The from-scratch network as it trains: the fast path (<see cref="ScratchEngine.Fast"/>), book mode, 7 batches then
    /// the batched test pass. Bit for bit the faithful path's numbers (the tests hold the two together).
    /// </summary>
    public static EpochWorkload Scratch(ScratchConfig config, ScratchData data) => Scratch(config, data, ScratchEngine.Fast, ScratchName);

    /// <summary>The faithful reference path (<see cref="ScratchEngine.Faithful"/>: <see cref="ScratchNetwork"/>), book mode.</summary>
    public static EpochWorkload ScratchFaithful(ScratchConfig config, ScratchData data) =>
        Scratch(config, data, ScratchEngine.Faithful, ScratchFaithfulName);

    static EpochWorkload Scratch(ScratchConfig config, ScratchData data, ScratchEngine engine, string name)
    {
        var trainer = new ScratchTrainer(config with { Epochs = int.MaxValue, Mode = TrainingMode.Book, Engine = engine }, data);
        return new EpochWorkload(name, () =>
        {
            var r = trainer.RunEpoch();
            return (r.TrainTime.TotalSeconds, r.TestTime.TotalSeconds);
        });
    }

    /// <summary>
    /// Every in-process implementation: the fast and faithful from-scratch paths and the TorchSharp twin in f64 and f32,
    /// each at every LibTorch thread count of <see cref="TorchRuntime.SpeedThreadCounts"/> (1 and all cores), so that
    /// the from-scratch path is held against TorchSharp at its best, and the exported model's test pass in ONNX Runtime.
    /// The caller disposes them.
    /// </summary>
    public static IReadOnlyList<EpochWorkload> InProcess(ScratchConfig config, ScratchData data) =>
    [
        Scratch(config, data),
        ScratchFaithful(config, data),
        .. TorchRuntime.SpeedThreadCounts.Select(threads => Twin(config, data, Dtype.Float64, threads)),
        .. TorchRuntime.SpeedThreadCounts.Select(threads => Twin(config, data, Dtype.Float32, threads)),
        OnnxRuntimeWorkload.Create(config, data),
    ];

    /// <summary>
    /// The TorchSharp twin, corrected mode with the NumPy masks, batched test pass, on <paramref name="threads"/> LibTorch
    /// intra-op threads (set before each epoch: the setting is process-wide, and the rounds interleave thread counts).
    /// The workload owns the twin.
    /// </summary>
    public static EpochWorkload Twin(ScratchConfig config, ScratchData data, Dtype dtype, int threads)
    {
        var setup = new ParitySetup(config, data);
        var trainer = new TwinTrainer(setup.Twin(setup.Initial, dtype), config.Alpha);
        var epoch = Twin(config, data, trainer, setup.StreamAfterInitialisation(), TwinName(dtype, threads));
        return new EpochWorkload(epoch.Implementation, () =>
        {
            TorchSharp.torch.set_num_threads(threads);
            return epoch.RunEpoch();
        }, Owned: trainer);
    }

    /// <summary>The same epoch on a twin the caller owns (and disposes), its masks drawn from <paramref name="random"/>.</summary>
    public static EpochWorkload Twin(ScratchConfig config, ScratchData data, TwinTrainer trainer, NumPyRandomState random, string name)
    {
        var masks = new double[config.BatchesPerEpoch][];
        for (int i = 0; i < masks.Length; i++)
        {
            masks[i] = new double[config.BatchSize * config.Hidden];
            random.RandInt(0, 2, masks[i]);
        }
        return new EpochWorkload(name, () =>
        {
            double train = EpochBench.Time(() =>
            {
                for (int i = 0; i < config.BatchesPerEpoch; i++)
                {
                    int start = i * config.BatchSize;
                    trainer.Step(data.TrainImages.AsSpan(start * ScratchConfig.Pixels, config.BatchSize * ScratchConfig.Pixels),
                        data.TrainLabels.AsSpan(start, config.BatchSize), masks[i]);
                }
            });
            double test = EpochBench.Time(() => trainer.Logits(data.TestImages, config.TestCount));
            return (train, test);
        });
    }
}
