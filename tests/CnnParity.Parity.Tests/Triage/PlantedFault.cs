using CnnParity.Parity.Specs;
using CnnParity.Parity.Tests.Specs;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>
/// A side with a fault planted in one place: the output of one layer, or the gradient of one parameter, scaled by
/// <c>factor</c> (1.001: a 0.1% fault); everything else is the inner model's.
/// </summary>
sealed class PlantedFault(ISpecModel inner, string at, double factor) : DecoratedModel(inner)
{
    protected override double[] Output(string layer, double[] values) => layer == at ? [.. values.Select(v => v * factor)] : values;

    protected override IReadOnlyDictionary<string, double[]> Gradients(IReadOnlyDictionary<string, double[]> gradients) =>
        gradients.ToDictionary(g => g.Key, g => g.Key == at ? [.. g.Value.Select(v => v * factor)] : g.Value);
}
