using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Parity.Results;
using CnnParity.Torch;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Trains the from-scratch engine (<see cref="TrainingEngines.FromScratch"/>: the generic <see cref="SpecTrainer"/>, or for
/// ch10 in float64 the chapter-10 engine under its corrected rule) and its TorchSharp twin side by side: the same initial
/// numbers, the same batches in the same order (the engine's <see cref="TrainingOrder"/>, shuffled or not), the twin fed each
/// batch's images and masks as the engine reports them (<see cref="ILockstepEngine.BatchCompleted"/>), the same optimizer
/// (SGD, Adam or AdamW: the engine's own, TorchSharp's for the twin) with the same settings on the same loss. Beside them runs the engine again, started one ULP away (the sensitivity:
/// how far rounding alone carries the run); in a float32 run, the engine in float64 from the same float32 start too (the
/// float64 truth each float32 side is judged against). After every epoch it records both losses and accuracies, the drift
/// between engine and twin (and each one's from the truth) and the sensitivity; at every 25th and the last epoch, the test images the two classify differently,
/// with how near a tie the engine's logits were.
/// </summary>
public static class SpecLockstep
{
    /// <param name="Engine">the from-scratch run: per-epoch loss and accuracies, the final weights' test predictions</param>
    /// <param name="Twin">the twin's run, with the drift per epoch (<see cref="EpochRecord.MaxParamRelDiff"/>) and the flips</param>
    /// <param name="Final">the engine's weights after the last epoch (float64; null when the run stopped)</param>
    /// <param name="FirstStep">a float64 run: every parameter after the first optimizer step, the engine's and the twin's against
    /// the float64 reference's step from the same weights (three opinions, as a gradient row): whose update rule is off</param>
    public sealed record Result(IReadOnlyList<LockstepEpoch> Epochs, string? Problem, TrainingRun Engine, TrainingRun Twin, ParameterSet<double>? Final)
    {
        public IReadOnlyList<Triage.TriagedCheck> FirstStep { get; init; } = [];
    }

    /// <summary>Epochs between the checks for flipped test predictions (and the last epoch).</summary>
    public const int FlipCheckEvery = 25;

    /// <summary>The training runs' names, as the reports' tables show them.</summary>
    public static string EngineName(Dtype dtype) => $"from-scratch engine (lockstep, {dtype.ShortName()})";

    /// <inheritdoc cref="EngineName"/>
    public static string TwinName(Dtype dtype) => $"TorchSharp twin (lockstep, {dtype.ShortName()})";

    /// <param name="twinLearningRate">the twin's learning rate; the engine's unless a test wants to see the drift check fail</param>
    /// <param name="twinOptimizer">the twin's optimizer; the engine's unless a test wants to see a wrong rule blamed on the twin</param>
    public static Result Run(SpecParitySetup setup, Action<LockstepEpoch>? onEpoch = null, CancellationToken cancel = default,
        double? twinLearningRate = null, OptimizerSettings? twinOptimizer = null)
    {
        var s = setup.Settings;
        var spec = setup.Spec;
        var options = setup.Training;
        var trainer = TrainingEngines.FromScratch(options, setup.Data);
        // The engine again, started one ULP away in every weight: how far rounding alone carries this run (the sensitivity).
        // Its own stream from the same seed draws the same masks and, shuffled, the same order per epoch.
        var shadow = TrainingEngines.FromScratch(options, setup.Data, OneUlpAway(trainer.InitialParameters, s.LockstepDtype));
        // A float32 run's truth: the engine in float64 from the float32 start, same batches, same masks.
        var truth = s.LockstepDtype == Dtype.Float32
            ? TrainingEngines.FromScratch(options with { Dtype = Dtype.Float64 }, setup.Data, Float32Start(trainer.InitialParameters))
            : null;
        using var twin = new SpecTwin(spec, TwinDtype.Of(s.LockstepDtype));
        foreach (var p in spec.Parameters) twin.Load(p, trainer.InitialParameters[p.Name]);
        using var twinTrainer = new SpecTwinTrainer(twin, twinLearningRate ?? s.LearningRate, s.Momentum, s.LearningRateDecay, setup.Options.Loss,
            twinOptimizer ?? s.Optimizer);

        int pixels = spec.Input.Size, batches = options.BatchesPerEpoch;
        double twinLoss = 0;
        int twinCorrect = 0;
        var gathered = new double[s.Batch * pixels];
        var gatheredLabels = new byte[s.Batch];
        IReadOnlyList<Triage.TriagedCheck> firstStep = [];
        trainer.BatchCompleted = step =>
        {
            cancel.ThrowIfCancellationRequested();
            var images = step.Order.Images(setup.Data, step.Batch, s.Batch, pixels, gathered);
            var labels = step.Order.Labels(setup.Data, step.Batch, s.Batch, gatheredLabels);
            var (loss, correct) = twinTrainer.Step(images, labels, name => step.Masks[name]);
            twinLoss += loss;
            twinCorrect += correct;
            if (step is { Epoch: 0, Batch: 0 } && s.LockstepDtype == Dtype.Float64)
                firstStep = FirstStepParity.Judge(setup, trainer.InitialParameters, images, labels, step.Masks,
                    trainer.CurrentParameters(), name => twin.Values(name), s.LearningRate);
        };

        var epochs = new List<LockstepEpoch>();
        var engineRecords = new List<EpochRecord>();
        var twinRecords = new List<EpochRecord>();
        var flips = new List<PredictionFlip>();
        var testLabels = setup.Data.TestLabels.AsSpan(0, s.TestCount);
        double[] twinLogits = [];
        string? problem = null;
        for (int e = 0; e < s.LockstepEpochs; e++)
        {
            cancel.ThrowIfCancellationRequested();
            var outcome = trainer.RunEpoch();
            shadow.RunEpoch();
            truth?.RunEpoch();
            twinTrainer.EpochCompleted();
            var engine = trainer.CurrentParameters();
            var shadowed = shadow.CurrentParameters();
            var tensors = spec.Parameters.Select(p => (p.Name, Engine: engine[p.Name], Twin: twin.Values(p.Name))).ToList();
            problem = Divergence.Check(e, tensors.SelectMany(t => new[] { ($"engine {t.Name}", t.Engine), ($"twin {t.Name}", t.Twin) }).ToArray())
                ?? Divergence.CheckLoss(e, outcome.TrainLoss ?? double.NaN) ?? Divergence.CheckLoss(e, twinLoss);
            if (problem is not null) break;

            twinLogits = twinTrainer.Logits(setup.Data.TestImages, s.TestCount);
            var record = new LockstepEpoch(e, outcome.TrainLoss!.Value, twinLoss / batches, outcome.TestAccuracy,
                s.TestCount == 0 ? double.NaN : Predictions.CountCorrect(twinLogits, testLabels) / (double)s.TestCount,
                tensors.Max(t => Drift(t.Twin, t.Engine)), spec.Parameters.Max(p => Drift(shadowed[p.Name], engine[p.Name])));
            if (truth?.CurrentParameters() is { } truthful)
                record = record with
                {
                    EngineFromTruth = tensors.Max(t => Drift(t.Engine, truthful[t.Name])),
                    TwinFromTruth = tensors.Max(t => Drift(t.Twin, truthful[t.Name])),
                };
            epochs.Add(record);
            engineRecords.Add(new EpochRecord(e, record.EngineTestAcc, outcome.TrainAccuracy, null, record.EngineLoss));
            // The twin's training accuracy divides as the engine's does (the notebook counts the untrained remainder too).
            twinRecords.Add(new EpochRecord(e, record.TwinTestAcc, twinCorrect / (double)outcome.TrainCount, record.Drift, record.TwinLoss, record.Sensitivity));
            if (e % FlipCheckEvery == 0 || e == s.LockstepEpochs - 1)
                flips.AddRange(Flips(e, trainer.TestLogits(s.TestCount), twinLogits));
            onEpoch?.Invoke(record);
            twinLoss = 0;
            twinCorrect = 0;
        }

        var testLabelArray = testLabels.ToArray();
        if (problem is not null || epochs.Count == 0)
            return new Result(epochs, problem,
                new TrainingRun(EngineName(s.LockstepDtype), engineRecords, testLabelArray, [], [], problem),
                new TrainingRun(TwinName(s.LockstepDtype), twinRecords, testLabelArray, [], [], problem, flips), null) { FirstStep = firstStep };
        var engineLogits = trainer.TestLogits(s.TestCount);
        return new Result(epochs, null,
            new TrainingRun(EngineName(s.LockstepDtype), engineRecords, testLabelArray, Predictions.ArgMax(engineLogits), Predictions.Probabilities(engineLogits)),
            new TrainingRun(TwinName(s.LockstepDtype), twinRecords, testLabelArray, Predictions.ArgMax(twinLogits), Predictions.Probabilities(twinLogits), null, flips),
            trainer.CurrentParameters()) { FirstStep = firstStep };
    }

    /// <summary>Test images the two classify differently, with the engine's top-1 minus top-2 logit.</summary>
    static IEnumerable<PredictionFlip> Flips(int epoch, double[] engineLogits, double[] twinLogits)
    {
        const int classes = ArchitectureSpec.Classes;
        int[] a = Predictions.ArgMax(engineLogits), b = Predictions.ArgMax(twinLogits);
        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] == b[i]) continue;
            var row = engineLogits.AsSpan(i * classes, classes).ToArray();
            Array.Sort(row);
            yield return new PredictionFlip(epoch, i, a[i], b[i], row[^1] - row[^2]);
        }
    }

    /// <summary>The weights a float32 run starts from: each rounded to float32 once, widened back.</summary>
    static ParameterSet<double> Float32Start(ParameterSet<double> weights)
    {
        var rounded = weights.Clone();
        foreach (var p in rounded.Specs)
        {
            var values = rounded[p.Name];
            for (int i = 0; i < values.Length; i++) values[i] = (float)values[i];
        }
        return rounded;
    }

    /// <summary>
    /// Every weight moved to the next representable value up in the run's dtype (float32: the next float, as the float32
    /// run rounds its start once): the smallest change one rounding makes.
    /// </summary>
    public static ParameterSet<double> OneUlpAway(ParameterSet<double> weights, Dtype dtype)
    {
        var moved = weights.Clone();
        foreach (var p in moved.Specs)
        {
            var values = moved[p.Name];
            for (int i = 0; i < values.Length; i++)
                values[i] = dtype == Dtype.Float64 ? Math.BitIncrement(values[i]) : MathF.BitIncrement((float)values[i]);
        }
        return moved;
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
