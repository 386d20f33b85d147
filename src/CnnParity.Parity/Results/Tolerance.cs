namespace CnnParity.Parity.Results;

/// <summary>A named closeness criterion: |a-b| &lt;= Atol + Rtol*|b| elementwise, as torch.testing.assert_close.</summary>
public sealed record Tolerance(string Name, double Rtol, double Atol, string Why)
{
    public bool Accepts(double actual, double expected) =>
        Math.Abs(actual - expected) <= Atol + Rtol * Math.Abs(expected);
}
