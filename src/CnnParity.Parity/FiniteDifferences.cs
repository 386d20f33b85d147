namespace CnnParity.Parity;

/// <summary>
/// A gradient check by central finite differences, (L(p+ε) − L(p−ε)) / 2ε, one parameter at a time.
/// TorchSharp has no torch.autograd.gradcheck; this plays its role, in float64, against both the
/// hand-written and the autograd gradients.
/// </summary>
public static class FiniteDifferences
{
    /// <param name="parameters">changed in place while probing; every value is restored before returning</param>
    /// <param name="loss">the loss as a function of the current parameter values (must be deterministic: same masks)</param>
    /// <param name="indices">which parameters to probe</param>
    public static double[] Central(double[] parameters, Func<double> loss, IReadOnlyList<int> indices, double step)
    {
        var gradient = new double[indices.Count];
        for (int n = 0; n < indices.Count; n++)
        {
            int i = indices[n];
            double saved = parameters[i];
            parameters[i] = saved + step;
            double up = loss();
            parameters[i] = saved - step;
            double down = loss();
            parameters[i] = saved;
            gradient[n] = (up - down) / (2 * step);
        }
        return gradient;
    }

    /// <summary>A deterministic, evenly spread sample of <paramref name="count"/> indices out of <paramref name="length"/>.</summary>
    public static int[] EvenSample(int length, int count)
    {
        if (count >= length) return Enumerable.Range(0, length).ToArray();
        // A stride coprime-ish with the 10 classes so the sample touches every class column.
        return Enumerable.Range(0, count).Select(n => (int)((long)n * length / count + n % 10) % length).Distinct().ToArray();
    }
}
