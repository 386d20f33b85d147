namespace CnnParity.Testing;

/// <summary>
/// Derivatives by central finite differences, (f(x + h) − f(x − h)) / 2h, one coordinate at a time, in float64:
/// the instrument that holds a hand-written or autograd gradient against the function itself. Truncation error
/// is O(h²); rounding error about ε·|f|/h; h = 1e-6 (torch.autograd.gradcheck's eps) balances the two for
/// float64 functions of moderate size. Every probed value is restored before returning.
/// </summary>
public static class FiniteDifferences
{
    /// <summary>torch.autograd.gradcheck's eps: the step for float64 functions.</summary>
    public const double DefaultStep = 1e-6;

    /// <summary>The partial derivatives of a scalar <paramref name="loss"/> with respect to chosen parameters.</summary>
    /// <param name="parameters">changed in place while probing; every value is restored before returning</param>
    /// <param name="loss">the loss at the current parameter values; must be deterministic (same dropout masks, no sampling)</param>
    /// <param name="indices">which parameters to probe; the result has one derivative per index, in this order</param>
    /// <param name="step">h</param>
    public static double[] Central(double[] parameters, Func<double> loss, IReadOnlyList<int> indices, double step = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(indices);
        var gradient = new double[indices.Count];
        for (int n = 0; n < indices.Count; n++)
        {
            int i = indices[n];
            gradient[n] = Central(v => parameters[i] = v, parameters[i], () => [loss()], step)[0];
        }
        return gradient;
    }

    /// <summary>
    /// The derivative of every output of <paramref name="evaluate"/> along one input coordinate: one column of the
    /// Jacobian. <paramref name="set"/> writes the coordinate; it is left at <paramref name="value"/>.
    /// </summary>
    /// <param name="set">writes a value into the probed coordinate</param>
    /// <param name="value">the coordinate's current value</param>
    /// <param name="evaluate">the outputs at the current inputs, in a fixed order</param>
    /// <param name="step">h</param>
    public static double[] Central(Action<double> set, double value, Func<double[]> evaluate, double step = DefaultStep)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(evaluate);
        if (!(step > 0) || !double.IsFinite(step)) throw new ArgumentOutOfRangeException(nameof(step), "the step must be positive and finite");
        try
        {
            set(value + step);
            double[] up = evaluate();
            set(value - step);
            double[] down = evaluate();
            if (up.Length != down.Length)
                throw new InvalidOperationException($"the function returned {up.Length} outputs, then {down.Length}");
            var column = new double[up.Length];
            for (int k = 0; k < column.Length; k++) column[k] = (up[k] - down[k]) / (2 * step);
            return column;
        }
        finally
        {
            set(value);
        }
    }
}
