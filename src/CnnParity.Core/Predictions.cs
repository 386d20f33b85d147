using CnnParity.Core.NumPy;

namespace CnnParity.Torch;

/// <summary>Class decisions from logits, made the same way for every model: argmax, first maximum wins (as np.argmax).</summary>
public static class Predictions
{
    public static int[] ArgMax(ReadOnlySpan<double> logits)
    {
        var predictions = new int[logits.Length / 10];
        for (int i = 0; i < predictions.Length; i++)
            predictions[i] = NumPyArgMax.ArgMax(logits.Slice(i * 10, 10));
        return predictions;
    }

    public static int CountCorrect(ReadOnlySpan<double> logits, ReadOnlySpan<byte> labels)
    {
        int correct = 0;
        for (int i = 0; i < labels.Length; i++)
            if (NumPyArgMax.ArgMax(logits.Slice(i * 10, 10)) == labels[i]) correct++;
        return correct;
    }

    /// <summary>Softmax probabilities with the max shifted out (for metrics; the parity checks use the book's plain softmax).</summary>
    public static double[] Probabilities(ReadOnlySpan<double> logits)
    {
        var p = new double[logits.Length];
        for (int r = 0; r < logits.Length / 10; r++)
        {
            var row = logits.Slice(r * 10, 10);
            double max = double.NegativeInfinity, sum = 0;
            foreach (double v in row) max = Math.Max(max, v);
            for (int j = 0; j < 10; j++) sum += p[r * 10 + j] = Math.Exp(row[j] - max);
            for (int j = 0; j < 10; j++) p[r * 10 + j] /= sum;
        }
        return p;
    }
}
