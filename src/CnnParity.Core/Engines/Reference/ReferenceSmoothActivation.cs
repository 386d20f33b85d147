using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.Tanh and torch.nn.Sigmoid, with their derivatives taken from the output as PyTorch takes them
/// (<c>1 − y²</c>, <c>y·(1 − y)</c>). A float32 library's tanh or exp is within a couple of ULP (2u each) of the exact
/// value: <see cref="FunctionUlpsSquared"/> allows 4u. The input's error passes through scaled by the derivative.
/// </summary>
internal sealed class ReferenceSmoothActivation(SpecLayer layer, ActivationKind kind) : ReferenceLayer(layer)
{
    /// <summary>The variance, in units of u², of a float32 library function's own error relative to its value: (4u)².</summary>
    public const double FunctionUlpsSquared = 16;

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = Carried.Zeros(input.Length);
        for (int i = 0; i < input.Length; i++)
        {
            double x = input.Value[i];
            double y = kind == ActivationKind.Tanh ? Math.Tanh(x) : 1 / (1 + Math.Exp(-x));
            double slope = kind == ActivationKind.Tanh ? 1 - y * y : y * (1 - y);
            output.Value[i] = y;
            output.Variance[i] = slope * slope * input.Variance[i] + FunctionUlpsSquared * y * y;
        }
        return output;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var dInput = Carried.Zeros(dOutput.Length);
        for (int i = 0; i < dOutput.Length; i++)
        {
            double y = output.Value[i], vy = output.Variance[i], g = dOutput.Value[i];
            // The slope is computed from the rounded y: its error is the slope's derivative times y's, plus two roundings.
            double slope, slopeVariance;
            if (kind == ActivationKind.Tanh)
            {
                slope = 1 - y * y;
                slopeVariance = 4 * y * y * vy + y * y * y * y + slope * slope;
            }
            else
            {
                slope = y * (1 - y);
                slopeVariance = (1 - 2 * y) * (1 - 2 * y) * vy + 2 * slope * slope;
            }
            double d = g * slope;
            dInput.Value[i] = d;
            dInput.Variance[i] = slope * slope * dOutput.Variance[i] + g * g * slopeVariance + d * d;
        }
        return dInput;
    }
}
