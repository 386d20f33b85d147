using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Trains the from-scratch <see cref="SpecTrainer"/> and its TorchSharp twin side by side: the same initial numbers,
/// the same batches in the same order, the twin fed each batch's masks as the trainer reports them
/// (<see cref="SpecTrainer.BatchCompleted"/>), SGD with the same learning rate and momentum. After every epoch it
/// records both losses and test accuracies and the drift between their parameters.
/// </summary>
public static class SpecLockstep
{
    public sealed record Result(IReadOnlyList<LockstepEpoch> Epochs, string? Problem);

    /// <param name="twinLearningRate">the twin's learning rate; the engine's unless a test wants to see the drift check fail</param>
    public static Result Run(SpecParitySetup setup, Action<LockstepEpoch>? onEpoch = null, CancellationToken cancel = default,
        double? twinLearningRate = null)
    {
        var s = setup.Settings;
        var spec = setup.Spec;
        var trainer = new SpecTrainer(new SpecTrainerOptions(spec)
        {
            Dtype = s.LockstepDtype, BatchSize = s.Batch, LearningRate = s.LearningRate, Momentum = s.Momentum,
            Epochs = s.LockstepEpochs, TrainCount = s.TrainCount, TestCount = s.TestCount, Seed = s.Seed, Threads = s.Threads,
        }, setup.Data);
        using var twin = new SpecTwin(spec, TwinDtype.Of(s.LockstepDtype));
        foreach (var p in spec.Parameters) twin.Load(p, trainer.InitialParameters[p.Name]);
        using var twinTrainer = new SpecTwinTrainer(twin, twinLearningRate ?? s.LearningRate, s.Momentum);

        int pixels = spec.Input.Size, batches = trainer.Options.BatchesPerEpoch, trained = batches * s.Batch;
        double twinLoss = 0;
        trainer.BatchCompleted = step =>
        {
            cancel.ThrowIfCancellationRequested();
            int first = step.Batch * s.Batch;
            var (loss, _) = twinTrainer.Step(setup.Data.TrainImages.AsSpan(first * pixels, s.Batch * pixels),
                setup.Data.TrainLabels.AsSpan(first, s.Batch), name => step.Masks[name]);
            twinLoss += loss;
        };

        var epochs = new List<LockstepEpoch>();
        var testLabels = setup.Data.TestLabels.AsSpan(0, s.TestCount);
        for (int e = 0; e < s.LockstepEpochs; e++)
        {
            cancel.ThrowIfCancellationRequested();
            var outcome = trainer.RunEpoch();
            var engine = trainer.CurrentParameters();
            var tensors = spec.Parameters.Select(p => (p.Name, Engine: engine[p.Name], Twin: twin.Values(p.Name))).ToList();
            string? problem = Divergence.Check(e, tensors.SelectMany(t => new[] { ($"engine {t.Name}", t.Engine), ($"twin {t.Name}", t.Twin) }).ToArray())
                ?? Divergence.CheckLoss(e, outcome.TrainLoss ?? double.NaN) ?? Divergence.CheckLoss(e, twinLoss);
            if (problem is not null) return new Result(epochs, problem);

            var twinLogits = twinTrainer.Logits(setup.Data.TestImages, s.TestCount);
            var record = new LockstepEpoch(e, outcome.TrainLoss!.Value, twinLoss / batches, outcome.TestAccuracy,
                s.TestCount == 0 ? double.NaN : Predictions.CountCorrect(twinLogits, testLabels) / (double)s.TestCount,
                tensors.Max(t => Drift(t.Twin, t.Engine)));
            epochs.Add(record);
            onEpoch?.Invoke(record);
            twinLoss = 0;
        }
        return new Result(epochs, null);
    }

    /// <summary>max|twin − engine| / max|engine| over one tensor (0 when both are all zeros).</summary>
    public static double Drift(ReadOnlySpan<double> twin, ReadOnlySpan<double> engine)
    {
        double diff = 0, scale = 0;
        for (int i = 0; i < engine.Length; i++)
        {
            diff = Math.Max(diff, Math.Abs(twin[i] - engine[i]));
            scale = Math.Max(scale, Math.Abs(engine[i]));
        }
        return diff == 0 ? 0 : diff / scale;
    }
}
