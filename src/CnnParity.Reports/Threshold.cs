namespace CnnParity.Reports;

/// <summary>A named upper limit on one number the verdict looks at, with the reason for its size.</summary>
public sealed record Threshold(string Name, double Limit, string Why)
{
    /// <summary>True when <paramref name="value"/> is within the limit. NaN is never within it.</summary>
    public bool Accepts(double value) => value <= Limit;
}
