using CnnParity.Core.NumPy;

namespace CnnParity.Core.Scratch;

/// <summary>One epoch of training: the counts behind the notebook's log line, and how long it took.</summary>
public sealed record EpochResult(
    int Epoch,
    int TestCorrect,
    int TestCount,
    int TrainCorrect,
    int TrainCount,
    TimeSpan TrainTime,
    TimeSpan TestTime)
{
    /// <summary><c>test_correct_cnt / float(len(test_images))</c>.</summary>
    public double TestAccuracy => TestCorrect / (double)TestCount;

    /// <summary><c>correct_cnt / float(len(images))</c>: over all training images, although only full batches are trained.</summary>
    public double TrainAccuracy => TrainCorrect / (double)TrainCount;

    /// <summary>The notebook's line, e.g. <c>I: 0 | Test-Acc: 0.0747 | Train-Acc: 0.086</c>.</summary>
    public string LogLine => NotebookLog.Line(Epoch, TestAccuracy, TrainAccuracy);
}

/// <summary>The log line the notebook prints after each epoch, character for character.</summary>
public static class NotebookLog
{
    /// <summary>
    /// <c>"I: " + str(j) + " | Test-Acc: " + str(round(test_acc, 5)) + " | Train-Acc: " + str(round(train_acc, 5))</c>,
    /// with Python's <c>round</c> and <c>str</c> of a float (<see cref="PythonFloat"/>).
    /// </summary>
    public static string Line(int epoch, double testAccuracy, double trainAccuracy) =>
        $"I: {epoch} | Test-Acc: {PythonFloat.RoundRepr(testAccuracy, 5)} | Train-Acc: {PythonFloat.RoundRepr(trainAccuracy, 5)}";
}
