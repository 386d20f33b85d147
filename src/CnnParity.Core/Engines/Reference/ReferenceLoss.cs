namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// Softmax cross-entropy, <c>L = (Σ_b CE_b) / B^k</c> with <c>CE_b = log Σ_j exp(z_bj − m_b) − (z_b,label − m_b)</c>:
/// k = 1 is torch.nn.functional.cross_entropy's mean, k = 2 chapter 10's Σ/B². Its gradient is
/// <c>dz_bj = (p_bj − [j = label]) / B^k</c>. Each row's own float32 rounding (a subtraction, ten exps, their sum, a log) is
/// held to 4u of the quantities it rounds; the logits' error passes through the softmax's derivatives.
/// </summary>
internal static class ReferenceLoss
{
    private const double RowUlpsSquared = ReferenceSmoothActivation.FunctionUlpsSquared;

    public static (double Value, double Variance) Loss(Carried logits, ReadOnlySpan<byte> labels, int batch, int classes, int batchPower)
    {
        var sum = new RoundedSum();
        for (int b = 0; b < batch; b++)
        {
            var (p, m, logSum) = Softmax(logits.Value, b, classes);
            int label = labels[b];
            double ce = logSum - (logits.Value[b * classes + label] - m), variance = 0;
            for (int j = 0; j < classes; j++)
            {
                double slope = p[j] - (j == label ? 1 : 0);
                variance += slope * slope * logits.Variance[b * classes + j];
            }
            double shifted = logits.Value[b * classes + label] - m;
            variance += RowUlpsSquared * (shifted * shifted + logSum * logSum);
            sum.AddTerm(ce, variance);
        }
        double divisor = Math.Pow(batch, batchPower), value = sum.Value / divisor;
        return (value, sum.Variance / (divisor * divisor) + value * value);
    }

    public static Carried Backward(Carried logits, ReadOnlySpan<byte> labels, int batch, int classes, int batchPower)
    {
        double divisor = Math.Pow(batch, batchPower);
        var p = Probabilities(logits, batch, classes);
        var dLogits = Carried.Zeros(batch * classes);
        for (int b = 0; b < batch; b++)
            for (int j = 0; j < classes; j++)
            {
                int i = b * classes + j;
                double d = (p.Value[i] - (j == labels[b] ? 1 : 0)) / divisor;
                dLogits.Value[i] = d;
                dLogits.Variance[i] = p.Variance[i] / (divisor * divisor) + d * d;
            }
        return dLogits;
    }

    /// <summary>softmax(z) per row, as a deployed model's probabilities output: the logits' error through the softmax's derivatives, and 4u of its own.</summary>
    public static Carried Probabilities(Carried logits, int batch, int classes)
    {
        var probabilities = Carried.Zeros(batch * classes);
        for (int b = 0; b < batch; b++)
        {
            var (p, _, _) = Softmax(logits.Value, b, classes);
            for (int j = 0; j < classes; j++)
            {
                double variance = RowUlpsSquared * p[j] * p[j];
                for (int k = 0; k < classes; k++)
                {
                    double slope = p[j] * ((j == k ? 1 : 0) - p[k]);
                    variance += slope * slope * logits.Variance[b * classes + k];
                }
                probabilities.Value[b * classes + j] = p[j];
                probabilities.Variance[b * classes + j] = variance;
            }
        }
        return probabilities;
    }

    private static (double[] P, double Max, double LogSum) Softmax(double[] z, int b, int classes)
    {
        double m = double.NegativeInfinity;
        for (int j = 0; j < classes; j++) m = Math.Max(m, z[b * classes + j]);
        var p = new double[classes];
        double s = 0;
        for (int j = 0; j < classes; j++) s += p[j] = Math.Exp(z[b * classes + j] - m);
        for (int j = 0; j < classes; j++) p[j] /= s;
        return (p, m, Math.Log(s));
    }
}
