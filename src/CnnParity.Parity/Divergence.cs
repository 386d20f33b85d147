namespace CnnParity.Parity;

/// <summary>Detects a run that blew up (NaN or infinity), so that no NaN is ever reported as a result.</summary>
public static class Divergence
{
    /// <summary>null when every value is finite, else which tensor went bad.</summary>
    public static string? Check(int epoch, params (string Name, double[] Values)[] tensors)
    {
        foreach (var (name, values) in tensors)
            foreach (double v in values)
                if (!double.IsFinite(v))
                    return $"diverged at epoch {epoch}: {name} holds {(double.IsNaN(v) ? "NaN" : "infinity")}; training stopped";
        return null;
    }

    public static string? CheckLoss(int epoch, double loss) =>
        double.IsFinite(loss) ? null : $"diverged at epoch {epoch}: the training loss is {loss}; training stopped";
}
