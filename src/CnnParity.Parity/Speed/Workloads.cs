using CnnParity.Core.Scratch;
using CnnParity.Torch;

namespace CnnParity.Parity.Speed;

/// <summary>The epoch workloads of every implementation, built on the same data and configuration.</summary>
public static class Workloads
{
    /// <summary>The from-scratch network, book mode: 7 batches then the batched test pass.</summary>
    public static EpochWorkload Scratch(ScratchConfig config, ScratchData data)
    {
        var trainer = new ScratchTrainer(config with { Epochs = int.MaxValue, Mode = TrainingMode.Book }, data);
        return new EpochWorkload("scratch (faithful, f64)", () =>
        {
            var r = trainer.RunEpoch();
            return (r.TrainTime.TotalSeconds, r.TestTime.TotalSeconds);
        });
    }

    /// <summary>The TorchSharp twin, corrected mode with the NumPy masks, batched test pass.</summary>
    public static EpochWorkload Twin(ScratchConfig config, ScratchData data, string dtype)
    {
        var setup = new ParitySetup(config, data);
        var twin = setup.Twin(setup.Initial, ParitySetup.DType(dtype));
        var trainer = new TwinTrainer(twin, config.Alpha);
        var random = setup.StreamAfterInitialisation();
        var masks = new double[config.BatchesPerEpoch][];
        for (int i = 0; i < masks.Length; i++)
        {
            masks[i] = new double[config.BatchSize * config.Hidden];
            random.RandInt(0, 2, masks[i]);
        }
        return new EpochWorkload($"TorchSharp twin ({dtype})", () =>
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
