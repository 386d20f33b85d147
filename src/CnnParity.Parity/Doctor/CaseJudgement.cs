namespace CnnParity.Parity.Doctor;

/// <summary>Holds LibTorch's tensors against the truth, element by element: right when every |torch − truth| is within its bound.</summary>
public static class CaseJudgement
{
    public static CaseResult Judge(DoctorCase c, IReadOnlyList<(string Name, double[] Values)> torch, IReadOnlyList<CheckedTensor> truth, double seconds)
    {
        if (torch.Count != truth.Count)
            throw new InvalidOperationException($"{c.Id}: LibTorch gave {torch.Count} tensors, the truth {truth.Count}");
        WorstElement? worst = null;
        long elements = 0;
        for (int t = 0; t < truth.Count; t++)
        {
            var (name, values) = torch[t];
            var expected = truth[t];
            if (name != expected.Name || values.Length != expected.Truth.Length)
                throw new InvalidOperationException($"{c.Id}: LibTorch's {name} ({values.Length}) is not the truth's {expected.Name} ({expected.Truth.Length})");
            for (long i = 0; i < values.Length; i++)
            {
                double ratio = Ratio(values[i], expected.Truth[i], expected.Bounds[i]);
                if (worst is null || ratio > worst.Ratio || double.IsNaN(ratio))
                    worst = new WorstElement(name, i, values[i], expected.Truth[i], expected.Bounds[i], ratio);
            }
            elements += values.Length;
        }
        bool right = worst is null || worst.Ratio <= 1;
        return new CaseResult(c, right ? CaseOutcome.Right : CaseOutcome.Wrong, worst, elements, seconds);
    }

    /// <summary>A probe's result: it ran; its numbers are finite (a non-finite one is wrong even without a truth).</summary>
    public static CaseResult Ran(DoctorCase c, IReadOnlyList<(string Name, double[] Values)> torch, double seconds)
    {
        foreach (var (name, values) in torch)
        {
            int bad = Array.FindIndex(values, v => !double.IsFinite(v));
            if (bad >= 0)
                return new CaseResult(c, CaseOutcome.Wrong, new WorstElement(name, bad, values[bad], double.NaN, double.NaN, double.PositiveInfinity),
                    torch.Sum(t => (long)t.Values.Length), seconds);
        }
        return new CaseResult(c, CaseOutcome.Ran, null, torch.Sum(t => (long)t.Values.Length), seconds);
    }

    /// <summary>|torch − truth| / bound; 0 when equal, infinite past a zero bound or for a value that is not finite.</summary>
    public static double Ratio(double torch, double truth, double bound)
    {
        if (!double.IsFinite(torch)) return double.PositiveInfinity;
        double difference = Math.Abs(torch - truth);
        if (difference == 0) return 0;
        return bound > 0 ? difference / bound : double.PositiveInfinity;
    }
}
