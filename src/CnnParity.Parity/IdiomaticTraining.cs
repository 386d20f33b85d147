using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity;

/// <summary>Trains the idiomatic TorchSharp model (its own init and dropout) on the same batches: an accuracy reference.</summary>
public static class IdiomaticTraining
{
    public const string Name = "torch idiomatic";

    public static TrainingRun Run(ScratchConfig config, ScratchData data, Dtype dtype,
        Action<EpochRecord>? onEpoch = null, CancellationToken cancel = default)
    {
        using var trainer = new IdiomaticTrainer(config.NumKernels, config.Grid, config.BatchSize, config.Alpha, config.Seed, TwinDtype.Of(dtype));
        var epochs = new List<EpochRecord>();
        var labels = data.TestLabels.AsSpan(0, config.TestCount).ToArray();
        string? diverged = null;
        double[] logits = Array.Empty<double>();
        for (int e = 0; e < config.Epochs; e++)
        {
            cancel.ThrowIfCancellationRequested();
            double loss = 0;
            int correct = 0;
            for (int i = 0; i < config.BatchesPerEpoch; i++)
            {
                int start = i * config.BatchSize;
                var (l, c) = trainer.Step(data.TrainImages.AsSpan(start * ScratchConfig.Pixels, config.BatchSize * ScratchConfig.Pixels),
                    data.TrainLabels.AsSpan(start, config.BatchSize));
                loss += l;
                correct += c;
            }
            logits = trainer.Logits(data.TestImages, config.TestCount);
            diverged = Divergence.CheckLoss(e, loss) ?? Divergence.Check(e, ("logits", logits));
            if (diverged is not null) break;
            var record = new EpochRecord(e, Predictions.CountCorrect(logits, labels) / (double)config.TestCount,
                correct / (double)config.TrainCount, null, loss / config.BatchesPerEpoch);
            epochs.Add(record);
            onEpoch?.Invoke(record);
        }
        return diverged is not null || epochs.Count == 0
            ? new TrainingRun($"{Name} ({dtype.ShortName()})", epochs, labels, Array.Empty<int>(), Array.Empty<double>(), diverged)
            : new TrainingRun($"{Name} ({dtype.ShortName()})", epochs, labels, Predictions.ArgMax(logits), Predictions.Probabilities(logits));
    }
}
