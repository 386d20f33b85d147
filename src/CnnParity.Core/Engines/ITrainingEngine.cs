namespace CnnParity.Core.Engines;

/// <summary>
/// A from-scratch training run seen from outside, whatever computes it: the generic <see cref="SpecTrainer"/> (any
/// spec, float64 or float32) or the chapter-10 engines (<see cref="Chapter10.Chapter10Engine"/>: the faithful
/// notebook port and the fast path). Commands, parity and reports drive a run through this.
/// <code>
/// ITrainingEngine engine = new SpecTrainer(options, data);
/// while (engine.EpochsCompleted &lt; options.Epochs) Console.WriteLine(engine.RunEpoch().TestAccuracy);
/// double[] logits = engine.TestLogits(100);
/// </code>
/// </summary>
public interface ITrainingEngine
{
    /// <summary>What computes the run, e.g. <c>scratch-f64 lenet5</c> or <c>ch10-fast</c>.</summary>
    string Name { get; }

    /// <summary>Epochs run so far (the index of the next one).</summary>
    int EpochsCompleted { get; }

    /// <summary>Epochs the run was configured for.</summary>
    int Epochs { get; }

    /// <summary>One epoch: the training batches in order, then the test pass.</summary>
    EpochOutcome RunEpoch();

    /// <summary>
    /// Evaluation-mode logits (no dropout, no softmax) of the first <paramref name="count"/> test images with the
    /// current weights, count × 10, as float64 (float32 values widened exactly).
    /// </summary>
    double[] TestLogits(int count);
}
