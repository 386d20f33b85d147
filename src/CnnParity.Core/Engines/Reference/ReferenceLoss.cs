namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// Softmax cross-entropy, <c>L = (Σ_b CE_b) / B^k</c> with <c>CE_b = log Σ_j exp(z_bj − m_b) − (z_b,label − m_b)</c>:
/// k = 1 is torch.nn.functional.cross_entropy's mean, k = 2 chapter 10's Σ/B². Its gradient is
/// <c>dz_bj = (p_bj − [j = label]) / B^k</c>. Each row's own float32 rounding (a subtraction, ten exps, their sum, a log) is
/// held to 4u of the quantities it rounds; the logits' error passes through the softmax's derivatives.
/// </summary>
public static class ReferenceLoss
{
    private const double RowUlpsSquared = ReferenceSmoothActivation.FunctionUlpsSquared;

    /// <summary>The loss Σ_b CE_b / B^batchPower and its variance.</summary>
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
            variance += RowUlpsSquared * shifted * shifted + LogSumVariance(logSum, classes);
            sum.AddTerm(ce, variance);
        }
        double divisor = Math.Pow(batch, batchPower), value = sum.Value / divisor;
        return (value, sum.Variance / (divisor * divisor) + value * value);
    }

    /// <summary>The loss's gradient with respect to the logits, with variances.</summary>
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

    /// <summary>
    /// log_softmax(z) per row, <c>(z_j − m) − log Σ exp(z_k − m)</c>: the logits' error through its derivatives
    /// (δ_jk − p_k), and 4u of the shifted logit and of the log of the sum.
    /// </summary>
    public static Carried LogSoftmax(Carried logits, int batch, int classes)
    {
        var y = Carried.Zeros(batch * classes);
        for (int b = 0; b < batch; b++)
        {
            var (p, m, logSum) = Softmax(logits.Value, b, classes);
            for (int j = 0; j < classes; j++)
            {
                int i = b * classes + j;
                double shifted = logits.Value[i] - m, variance = RowUlpsSquared * shifted * shifted + LogSumVariance(logSum, classes);
                for (int k = 0; k < classes; k++)
                {
                    double slope = (j == k ? 1 : 0) - p[k];
                    variance += slope * slope * logits.Variance[b * classes + k];
                }
                y.Value[i] = shifted - logSum;
                y.Variance[i] = variance;
            }
        }
        return y;
    }

    /// <summary>
    /// log_softmax's backward, <c>dz_j = dy_j − exp(y_j)·Σ_k dy_k</c> from its output y: the sum of dy rounds as any sum,
    /// exp(y) by 4u of itself, and y's own error moves exp(y) by exp(y)·δy.
    /// </summary>
    public static Carried LogSoftmaxBackward(Carried output, Carried dOutput, int batch, int classes)
    {
        var dz = Carried.Zeros(batch * classes);
        for (int b = 0; b < batch; b++)
        {
            var sum = new RoundedSum();
            for (int k = 0; k < classes; k++) sum.AddTerm(dOutput.Value[b * classes + k], dOutput.Variance[b * classes + k]);
            for (int j = 0; j < classes; j++)
            {
                int i = b * classes + j;
                double e = Math.Exp(output.Value[i]), term = e * sum.Value, d = dOutput.Value[i] - term;
                dz.Value[i] = d;
                dz.Variance[i] = dOutput.Variance[i] + e * e * sum.Variance + term * term * (RowUlpsSquared + output.Variance[i]) + d * d;
            }
        }
        return dz;
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

    /// <summary>
    /// The rounding variance of log Σ exp(z − max), in units of u²: the log's own 4u of its value, and the sum's relative
    /// error, which the log turns into an absolute one — each exp rounds by 4u of its term and the n-term sum by u per
    /// addition, so at most 16 + n. Without the second part a log-sum near 0 (one class far ahead) would get a bound of
    /// almost nothing, where a right float64 log_softmax is a few u off (the doctor saw 2.2e-16 at −0.035).
    /// </summary>
    private static double LogSumVariance(double logSum, int classes) => RowUlpsSquared * (logSum * logSum + 1) + classes;

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
