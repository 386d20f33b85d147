using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Torch;

namespace CnnParity.Parity;

/// <summary>Trains the from-scratch network alone (book or corrected mode) and records every epoch.</summary>
public static class ScratchTraining
{
    /// <param name="onFinished">receives the trained network (e.g. for the book-rule analysis at the final weights)</param>
    public static TrainingRun Run(ScratchConfig config, ScratchData data, Action<EpochRecord>? onEpoch = null,
        CancellationToken cancel = default, Action<ScratchNetwork>? onFinished = null)
    {
        var trainer = new ScratchTrainer(config, data);
        var epochs = new List<EpochRecord>();
        string? diverged = null;
        double lossSum = 0;
        if (config.Mode == TrainingMode.Corrected)
            trainer.GradientsObserver = g => lossSum += g.Loss;
        foreach (var result in trainer.Train(cancel))
        {
            diverged = Divergence.Check(result.Epoch, ("kernels", trainer.Network.Kernels), ("weights_1_2", trainer.Network.WeightsOneTwo))
                ?? Divergence.CheckLoss(result.Epoch, lossSum);
            if (diverged is not null) break;
            double? loss = config.Mode == TrainingMode.Corrected ? lossSum / config.BatchesPerEpoch : null;
            var record = new EpochRecord(result.Epoch, result.TestAccuracy, result.TrainAccuracy, null, loss);
            epochs.Add(record);
            onEpoch?.Invoke(record);
            lossSum = 0;
        }
        onFinished?.Invoke(trainer.Network);
        return Finish(Name(config), trainer.Network, data, config.TestCount, epochs, diverged);
    }

    public static string Name(ScratchConfig config) => config.Mode == TrainingMode.Book ? "scratch book" : "scratch corrected";

    /// <summary>The run's record with the final weights' test predictions (empty if it diverged).</summary>
    internal static TrainingRun Finish(string name, ScratchNetwork network, ScratchData data, int testCount,
        List<EpochRecord> epochs, string? diverged, IReadOnlyList<PredictionFlip>? flips = null)
    {
        var labels = data.TestLabels.AsSpan(0, testCount).ToArray();
        if (diverged is not null)
            return new TrainingRun(name, epochs, labels, Array.Empty<int>(), Array.Empty<double>(), diverged, flips);
        var logits = network.TestLogits(data.TestImages, testCount);
        return new TrainingRun(name, epochs, labels, Predictions.ArgMax(logits), Predictions.Probabilities(logits), null, flips);
    }
}
