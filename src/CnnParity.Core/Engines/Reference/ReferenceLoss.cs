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
        var dLogits = Carried.Zeros(batch * classes);
        for (int b = 0; b < batch; b++)
        {
            var (p, _, _) = Softmax(logits.Value, b, classes);
            for (int j = 0; j < classes; j++)
            {
                // p_j moves by Σ_k p_j(δ_jk − p_k)·δz_k, and rounds by 4u of itself.
                double variance = RowUlpsSquared * p[j] * p[j];
                for (int k = 0; k < classes; k++)
                {
                    double slope = p[j] * ((j == k ? 1 : 0) - p[k]);
                    variance += slope * slope * logits.Variance[b * classes + k];
                }
                double d = (p[j] - (j == labels[b] ? 1 : 0)) / divisor;
                dLogits.Value[b * classes + j] = d;
                dLogits.Variance[b * classes + j] = variance / (divisor * divisor) + d * d;
            }
        }
        return dLogits;
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
