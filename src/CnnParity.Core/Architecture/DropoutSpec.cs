using System.Globalization;

namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>dropout(p=P)</c>: torch.nn.Dropout(P) — in training each value is zeroed with probability P and the kept ones
/// are scaled by 1 / (1 - P); at test time it passes values through. The masks come from NumPy's RandomState so that
/// the from-scratch network and its twin drop the same units.
/// </summary>
public sealed record DropoutSpec(double P) : LayerSpec
{
    public override string Keyword => "dropout";

    public override string Text => $"dropout(p={P.ToString("R", CultureInfo.InvariantCulture)})";

    public override ActivationShape OutputShape(ActivationShape input) => input;
}
