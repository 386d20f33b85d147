using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity.Specs;

/// <summary>
/// One side of a network trained alone, as <c>train</c> runs it: the from-scratch engine (<see cref="TrainingEngines.FromScratch"/>:
/// for ch10 the chapter-10 engine under the book's rule or the corrected one) or its TorchSharp twin (<see cref="SpecTwinEngine"/>),
/// from the same seed and with the same masks. Every epoch is recorded (loss where the rule has one, training and test
/// accuracy, times); a loss or weight that stops being finite ends the run as diverged.
/// </summary>
public static class SpecTraining
{
    /// <summary>The run, and the weights it ended with (null when it diverged).</summary>
    public sealed record Result(TrainingRun Run, ParameterSet<double>? Final, IReadOnlyList<EpochOutcome> Outcomes);

    /// <summary>How the runs are named: "from-scratch engine (f64)", "TorchSharp twin (f32)", "from-scratch engine (book rule, f64)".</summary>
    public static string Name(bool twin, Dtype dtype, TrainingMode mode = TrainingMode.Corrected) =>
        $"{(twin ? "TorchSharp twin" : "from-scratch engine")} ({(mode == TrainingMode.Book ? "book rule, " : "")}{dtype.ShortName()})";

    /// <param name="twin">train the TorchSharp twin instead of the from-scratch engine</param>
    /// <param name="onEpoch">after each epoch (and after <paramref name="runEpoch"/> has returned)</param>
    /// <param name="onBatch">after each training batch's step</param>
    /// <param name="runEpoch">runs epoch i's work (the CLI wraps each epoch in a progress bar); by default, just runs it</param>
    /// <param name="mode">the from-scratch engine's rule: the corrected one (SGD on the loss), or ch10's book rule</param>
    public static Result Run(SpecTrainerOptions options, ScratchData data, bool twin, Action<EpochRecord, EpochOutcome>? onEpoch = null,
        Action<SpecBatchStep>? onBatch = null, Func<int, Func<EpochOutcome>, EpochOutcome>? runEpoch = null, CancellationToken cancel = default,
        TrainingMode mode = TrainingMode.Corrected)
    {
        string name = Name(twin, options.Dtype, mode);
        var labels = data.TestLabels.AsSpan(0, options.TestCount).ToArray();
        var epochs = new List<EpochRecord>();
        var outcomes = new List<EpochOutcome>();
        if (twin)
        {
            using var engine = new SpecTwinEngine(options, data) { BatchCompleted = Observe };
            return Train(engine, engine.CurrentParameters);
        }
        var trainer = TrainingEngines.FromScratch(options, data, mode: mode);
        trainer.BatchCompleted = Observe;
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
                // The book's rule is not the gradient of a loss: such a run reports none, and only its weights can blow up.
                diverged = (outcome.TrainLoss is double loss ? Divergence.CheckLoss(e, loss) : null)
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
