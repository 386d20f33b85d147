using System.Diagnostics;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// The TorchSharp twin trained on its own, behind the same interface as the from-scratch engine: the run a
/// <see cref="SpecTrainer"/> with the same options makes — <c>np.random.seed(seed)</c>, the same initial weights, each
/// batch's dropout masks drawn from the same stream, the batches in the same order (file order, or with
/// <see cref="SpecTrainerOptions.Shuffle"/> the same permutation per epoch, <see cref="TrainingOrder"/>), the same optimizer with the same settings
/// (<see cref="SpecTwinTrainer"/>: TorchSharp's SGD, Adam or AdamW), then the test pass without dropout — computed by TorchSharp. In exact
/// arithmetic the two runs are one; `train --impl twin` and the speed rows run this.
/// </summary>
public sealed class SpecTwinEngine : ITrainingEngine, IDisposable
{
    readonly SpecTwin twin;
    readonly SpecTwinTrainer trainer;
    readonly NumPyRandomState random;
    readonly double[] gathered;
    readonly byte[] labels;

    public SpecTwinEngine(SpecTrainerOptions options, ScratchData data)
    {
        options.Validate(data);
        Options = options;
        Data = data;
        random = new NumPyRandomState(options.Seed);
        gathered = options.Shuffle ? new double[options.BatchSize * options.Spec.Input.Size] : [];
        labels = options.Shuffle ? new byte[options.BatchSize] : [];
        var initial = ParameterSet<double>.Initialize(options.Spec, random, options.Model.Initialisation);
        twin = new SpecTwin(options.Spec, TwinDtype.Of(options.Dtype));
        try
        {
            foreach (var p in options.Spec.Parameters) twin.Load(p, initial[p.Name]);
            trainer = new SpecTwinTrainer(twin, options.LearningRate, options.Momentum, options.LearningRateDecay, options.Model.Loss, options.Optimizer);
        }
        catch
        {
            twin.Dispose();
            throw;
        }
    }

    public SpecTrainerOptions Options { get; }

    public ScratchData Data { get; }

    /// <summary>Called after each training batch's step with its epoch, index, loss (before the step), masks and the epoch's order.</summary>
    public Action<SpecBatchStep>? BatchCompleted { get; set; }

    public string Name => $"twin-{Options.Dtype.ShortName()} {Options.Spec.DisplayName}";

    public int EpochsCompleted { get; private set; }

    public int Epochs => Options.Epochs;

    /// <summary>The twin's current weights by name, widened to float64.</summary>
    public ParameterSet<double> CurrentParameters() =>
        ParameterSet<double>.FromArrays(Options.Spec, [.. Options.Spec.Parameters.Select(p => twin.Values(p.Name))]);

    public EpochOutcome RunEpoch()
    {
        int batch = Options.BatchSize, pixels = Options.Spec.Input.Size, epoch = EpochsCompleted;
        var clock = Stopwatch.StartNew();
        double lossSum = 0;
        int correct = 0;
        var order = TrainingOrder.ForEpoch(Options, random); // where SpecTrainer draws it: before the epoch's first masks
        for (int i = 0; i < Options.BatchesPerEpoch; i++)
        {
            var masks = DropoutMasks.Draw(Options.Spec, batch, random, Options.Model.Masks);
            var (loss, right) = trainer.Step(order.Images(Data, i, batch, pixels, gathered), order.Labels(Data, i, batch, labels),
                name => masks[name]);
            lossSum += loss;
            correct += right;
            BatchCompleted?.Invoke(new SpecBatchStep(epoch, i, loss, masks, order));
        }
        TimeSpan trainTime = clock.Elapsed;
        clock.Restart();
        int testCorrect = Predictions.CountCorrect(TestLogits(Options.TestCount), Data.TestLabels.AsSpan(0, Options.TestCount));
        EpochsCompleted++;
        trainer.EpochCompleted();
        return new EpochOutcome(epoch, lossSum / Options.BatchesPerEpoch, correct, Options.BatchesPerEpoch * batch,
            testCorrect, Options.TestCount, trainTime, clock.Elapsed);
    }

    public double[] TestLogits(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Data.TestCount);
        return trainer.Logits(Data.TestImages, count);
    }

    /// <summary>Frees the optimiser and the twin's native tensors.</summary>
    public void Dispose()
    {
        trainer.Dispose();
        twin.Dispose();
    }
}
