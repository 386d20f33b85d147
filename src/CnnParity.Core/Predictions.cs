using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core;

/// <summary>
/// Class decisions from logits (rows of <see cref="ArchitectureSpec.Classes"/>), made the same way for every model:
/// np.argmax, the first maximum wins and the first NaN wins over everything (<see cref="NumPyArgMax"/>).
/// </summary>
public static class Predictions
{
    const int Classes = ArchitectureSpec.Classes;

    /// <summary>The predicted class of each row.</summary>
    public static int[] ArgMax(ReadOnlySpan<double> logits)
    {
        var predictions = new int[logits.Length / Classes];
        for (int i = 0; i < predictions.Length; i++)
            predictions[i] = NumPyArgMax.ArgMax(logits.Slice(i * Classes, Classes));
        return predictions;
    }

    /// <summary>How many of the first <c>labels.Length</c> rows have their first maximum at the label.</summary>
    public static int CountCorrect(ReadOnlySpan<double> logits, ReadOnlySpan<byte> labels) => CountCorrect<double>(logits, labels);

    /// <inheritdoc cref="CountCorrect(ReadOnlySpan{double}, ReadOnlySpan{byte})"/>
    public static int CountCorrect<T>(ReadOnlySpan<T> logits, ReadOnlySpan<byte> labels)
        where T : IFloatingPointIeee754<T>
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
            if (NumPyArgMax.ArgMax(logits.Slice(i * Classes, Classes)) == labels[i]) correct++;
        return correct;
    }

    /// <summary>Softmax probabilities with the max shifted out (for metrics; the parity checks use the book's plain softmax).</summary>
    public static double[] Probabilities(ReadOnlySpan<double> logits)
    {
        var p = new double[logits.Length];
        for (int r = 0; r < logits.Length / Classes; r++)
        {
            var row = logits.Slice(r * Classes, Classes);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in row) max = Math.Max(max, v);
            for (int j = 0; j < Classes; j++) sum += p[r * Classes + j] = Math.Exp(row[j] - max);
            for (int j = 0; j < Classes; j++) p[r * Classes + j] /= sum;
        }
        return p;
    }
}
