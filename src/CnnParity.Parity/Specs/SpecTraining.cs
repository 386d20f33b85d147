using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity.Specs;

/// <summary>
/// One side of a spec trained alone, as <c>train --arch</c> runs it: the from-scratch engine (<see cref="SpecTrainer"/>)
/// or its TorchSharp twin (<see cref="SpecTwinEngine"/>), from the same seed and with the same masks. Every epoch is
/// recorded (loss, training and test accuracy, times); a loss or weight that stops being finite ends the run as diverged.
/// </summary>
public static class SpecTraining
{
    /// <summary>The run, and the weights it ended with (null when it diverged).</summary>
    public sealed record Result(TrainingRun Run, ParameterSet<double>? Final, IReadOnlyList<EpochOutcome> Outcomes);

    /// <summary>How the runs are named: "from-scratch engine (f64)", "TorchSharp twin (f32)".</summary>
    public static string Name(bool twin, Dtype dtype) => $"{(twin ? "TorchSharp twin" : "from-scratch engine")} ({dtype.ShortName()})";

    /// <param name="twin">train the TorchSharp twin instead of the from-scratch engine</param>
    /// <param name="onEpoch">after each epoch (and after <paramref name="runEpoch"/> has returned)</param>
    /// <param name="onBatch">after each training batch's step</param>
    /// <param name="runEpoch">runs epoch i's work (the CLI wraps each epoch in a progress bar); by default, just runs it</param>
    public static Result Run(SpecTrainerOptions options, ScratchData data, bool twin, Action<EpochRecord, EpochOutcome>? onEpoch = null,
        Action<SpecBatchStep>? onBatch = null, Func<int, Func<EpochOutcome>, EpochOutcome>? runEpoch = null, CancellationToken cancel = default)
    {
        string name = Name(twin, options.Dtype);
        var labels = data.TestLabels.AsSpan(0, options.TestCount).ToArray();
        var epochs = new List<EpochRecord>();
        var outcomes = new List<EpochOutcome>();
        if (twin)
        {
            using var engine = new SpecTwinEngine(options, data) { BatchCompleted = Observe };
            return Train(engine, engine.CurrentParameters);
        }
        var trainer = new SpecTrainer(options, data) { BatchCompleted = Observe };
        return Train(trainer, trainer.CurrentParameters);

        void Observe(SpecBatchStep step)
        {
            cancel.ThrowIfCancellationRequested();
            onBatch?.Invoke(step);
        }

        Result Train(ITrainingEngine engine, Func<ParameterSet<double>> parameters)
        {
            string? diverged = null;
            ParameterSet<double> current = parameters();
            for (int e = 0; e < options.Epochs; e++)
            {
                cancel.ThrowIfCancellationRequested();
                var outcome = runEpoch is null ? engine.RunEpoch() : runEpoch(e, engine.RunEpoch);
                current = parameters();
                diverged = Divergence.CheckLoss(e, outcome.TrainLoss ?? double.NaN)
                    ?? Divergence.Check(e, [.. options.Spec.Parameters.Select(p => (p.Name, current[p.Name]))]);
                if (diverged is not null) break;
                var record = new EpochRecord(e, outcome.TestAccuracy, outcome.TrainAccuracy, null, outcome.TrainLoss);
                epochs.Add(record);
                outcomes.Add(outcome);
                onEpoch?.Invoke(record, outcome);
            }
            if (diverged is not null)
                return new Result(new TrainingRun(name, epochs, labels, [], [], diverged), null, outcomes);
            var logits = engine.TestLogits(options.TestCount);
            return new Result(new TrainingRun(name, epochs, labels, Predictions.ArgMax(logits), Predictions.Probabilities(logits)), current, outcomes);
        }
    }
}
