using System.Globalization;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Results;

namespace CnnParity.Reports.Writers;

/// <summary>The line <c>train</c> prints per epoch, for any network.</summary>
public static class TrainingLog
{
    /// <summary>
    /// The notebook's log line (<c>I: 0 | Test-Acc: 0.0747 | Train-Acc: 0.086</c>, <see cref="NotebookLog.Line"/>), with the
    /// loss where the run has one: <c>I: 0 | Loss: 0.220699 | Test-Acc: 0.9676 | Train-Acc: 0.93255</c> (lenet5, 60,000 images,
    /// batch 32, lr 0.05, momentum 0.9). The book's rule is not the gradient of a loss: its lines are the notebook's own.
    /// </summary>
    public static string Line(EpochRecord e) => e.Loss is not double loss
        ? NotebookLog.Line(e.Epoch, e.TestAcc, e.TrainAcc)
        : string.Create(CultureInfo.InvariantCulture,
            $"I: {e.Epoch} | Loss: {loss:F6} | Test-Acc: {PythonFloat.RoundRepr(e.TestAcc, 5)} | Train-Acc: {PythonFloat.RoundRepr(e.TrainAcc, 5)}");
}
