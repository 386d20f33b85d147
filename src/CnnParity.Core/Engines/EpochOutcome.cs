namespace CnnParity.Core.Engines;

/// <summary>
/// What one epoch of an <see cref="ITrainingEngine"/> gave: the training loss (null where the engine's rule is not
/// the gradient of a loss, as the chapter-10 book rule), the training and test counts behind the accuracies, and how
/// long the training batches and the test pass took.
/// </summary>
/// <param name="Epoch">0-based index of the epoch</param>
/// <param name="TrainLoss">the mean over the epoch's batches of each batch's mean loss, before its step</param>
/// <param name="TrainCorrect">training images classified right during the forward passes of training (dropout on)</param>
/// <param name="TrainCount">the count the training accuracy divides by</param>
public sealed record EpochOutcome(
    int Epoch,
    double? TrainLoss,
    int TrainCorrect,
    int TrainCount,
    int TestCorrect,
    int TestCount,
    TimeSpan TrainTime,
    TimeSpan TestTime)
{
    public double TrainAccuracy => TrainCount == 0 ? double.NaN : TrainCorrect / (double)TrainCount;

    public double TestAccuracy => TestCount == 0 ? double.NaN : TestCorrect / (double)TestCount;
}
