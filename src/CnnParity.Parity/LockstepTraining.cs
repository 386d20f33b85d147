using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Testing;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Parity;

/// <summary>
/// Trains the from-scratch network and its TorchSharp twin side by side in corrected mode, from identical
/// weights, feeding the twin each batch's from-scratch dropout mask. After every epoch it records both
/// accuracies and the largest relative difference of any parameter, and — at every 25th and the last
/// epoch — every test image the two classify differently, with how near a tie its logits were.
/// </summary>
public static class LockstepTraining
{
    public sealed record Result(TrainingRun Scratch, TrainingRun Twin);

    public static Result Run(ScratchConfig config, ScratchData data, Dtype dtype,
        Action<EpochRecord>? onEpoch = null, CancellationToken cancel = default)
    {
        config = config with { Mode = TrainingMode.Corrected };
        var scratch = new ScratchTrainer(config, data);
        var twin = new TwinNetwork(new NotebookLayout(config.NumKernels, config.Grid), TwinDtype.Of(dtype));
        twin.LoadScratchWeights(scratch.Network.Kernels, scratch.Network.WeightsOneTwo);
        using var twinTrainer = new TwinTrainer(twin, config.Alpha); // owns the twin

        double scratchLoss = 0, twinLoss = 0;
        int twinCorrect = 0;
        scratch.BatchObserver = (state, _, batch, gradients) =>
        {
            scratchLoss += gradients!.Loss;
            var labels = data.TrainLabels.AsSpan(batch * config.BatchSize, config.BatchSize);
            var (loss, correct) = twinTrainer.Step(state.Layer0, labels, state.DropoutMask);
            twinLoss += loss;
            twinCorrect += correct;
        };

        var scratchEpochs = new List<EpochRecord>();
        var twinEpochs = new List<EpochRecord>();
        var flips = new List<PredictionFlip>();
        string? diverged = null;
        foreach (var result in scratch.Train(cancel))
        {
            int e = result.Epoch;
            var (twinKernels, twinWeights) = twin.ExportScratchWeights();
            diverged = Divergence.Check(e, ("scratch kernels", scratch.Network.Kernels), ("scratch weights_1_2", scratch.Network.WeightsOneTwo),
                           ("twin kernels", twinKernels), ("twin weights_1_2", twinWeights))
                       ?? Divergence.CheckLoss(e, scratchLoss) ?? Divergence.CheckLoss(e, twinLoss);
            if (diverged is not null) break;

            double relDiff = Math.Max(DistanceMeter.Measure(twinKernels, scratch.Network.Kernels).MaxRel,
                                      DistanceMeter.Measure(twinWeights, scratch.Network.WeightsOneTwo).MaxRel);
            var twinLogits = twinTrainer.Logits(data.TestImages, config.TestCount);
            bool checkFlips = e % 25 == 0 || e == config.Epochs - 1;
            if (checkFlips)
                flips.AddRange(Flips(e, scratch.Network.TestLogits(data.TestImages, config.TestCount), twinLogits));

            int batches = config.BatchesPerEpoch;
            var scratchRecord = new EpochRecord(e, result.TestAccuracy, result.TrainAccuracy, null, scratchLoss / batches);
            var twinRecord = new EpochRecord(e, Predictions.CountCorrect(twinLogits, data.TestLabels.AsSpan(0, config.TestCount)) / (double)config.TestCount,
                twinCorrect / (double)config.TrainCount, relDiff, twinLoss / batches);
            scratchEpochs.Add(scratchRecord);
            twinEpochs.Add(twinRecord);
            onEpoch?.Invoke(twinRecord);
            scratchLoss = twinLoss = 0;
            twinCorrect = 0;
        }

        var scratchRun = ScratchTraining.Finish("scratch corrected", scratch.Network, data, config.TestCount, scratchEpochs, diverged);
        var labelsTest = data.TestLabels.AsSpan(0, config.TestCount).ToArray();
        TrainingRun twinRun;
        if (diverged is not null)
            twinRun = new TrainingRun($"torch corrected (lockstep, {dtype.ShortName()})", twinEpochs, labelsTest, Array.Empty<int>(), Array.Empty<double>(), diverged, flips);
        else
        {
            var logits = twinTrainer.Logits(data.TestImages, config.TestCount);
            twinRun = new TrainingRun($"torch corrected (lockstep, {dtype.ShortName()})", twinEpochs, labelsTest,
                Predictions.ArgMax(logits), Predictions.Probabilities(logits), null, flips);
        }
        return new Result(scratchRun, twinRun);
    }

    static IEnumerable<PredictionFlip> Flips(int epoch, double[] scratchLogits, double[] twinLogits)
    {
        var a = Predictions.ArgMax(scratchLogits);
        var b = Predictions.ArgMax(twinLogits);
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            var row = scratchLogits.AsSpan(i * ArchitectureSpec.Classes, ArchitectureSpec.Classes).ToArray();
            Array.Sort(row);
            yield return new PredictionFlip(epoch, i, a[i], b[i], row[^1] - row[^2]);
        }
    }
}
