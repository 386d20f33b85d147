using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines.Chapter10;

/// <summary>
/// The chapter-10 engines behind <see cref="ITrainingEngine"/>: a <see cref="ScratchTrainer"/> (the faithful notebook
/// port or the fast path, <see cref="ScratchConfig.Engine"/>) driven as it is, so every number is the one the trainer
/// computes on its own (the golden tests hold it to NumPy's bits). The training loss is reported in
/// <see cref="TrainingMode.Corrected"/> mode, where the update is the gradient of a loss (the mean over the epoch's
/// batches of L = Σ CE / B², see <see cref="CorrectedGradients.Loss"/>); the book's rule is not the gradient of any
/// loss, so there it is null. The adapter listens through <see cref="ScratchTrainer.GradientsObserver"/> (chaining
/// any observer already set), which costs nothing and changes no number.
/// </summary>
public sealed class Chapter10Engine : ITrainingEngine
{
    private double _lossSum;
    private int _losses;

    public Chapter10Engine(ScratchTrainer trainer)
    {
        Trainer = trainer;
        Action<CorrectedGradients>? previous = trainer.GradientsObserver;
        trainer.GradientsObserver = g =>
        {
            _lossSum += g.Loss;
            _losses++;
            previous?.Invoke(g);
        };
    }

    /// <summary>The trainer being driven (its weights, random stream and observers).</summary>
    public ScratchTrainer Trainer { get; }

    public string Name => Trainer.Config.Engine == ScratchEngine.Fast ? "ch10-fast" : "ch10-faithful";

    public int EpochsCompleted => Trainer.EpochsCompleted;

    public int Epochs => Trainer.Config.Epochs;

    public EpochOutcome RunEpoch()
    {
        _lossSum = 0;
        _losses = 0;
        EpochResult r = Trainer.RunEpoch();
        double? loss = Trainer.Config.Mode == TrainingMode.Corrected && _losses > 0 ? _lossSum / _losses : null;
        return new EpochOutcome(r.Epoch, loss, r.TrainCorrect, r.TrainCount, r.TestCorrect, r.TestCount, r.TrainTime, r.TestTime);
    }

    public double[] TestLogits(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Trainer.Data.TestCount);
        return Trainer.TestLogits(count);
    }
}
