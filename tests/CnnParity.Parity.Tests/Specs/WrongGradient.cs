using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>A model whose backward pass is off by <c>error</c> in one entry of one parameter's gradient; all else is the inner model's.</summary>
sealed class WrongGradient(ISpecModel inner, string parameter, int index, double error) : DecoratedModel(inner)
{
    protected override IReadOnlyDictionary<string, double[]> Gradients(IReadOnlyDictionary<string, double[]> gradients)
    {
        var changed = gradients.ToDictionary(g => g.Key, g => (double[])g.Value.Clone());
        changed[parameter][index] += error;
        return changed;
    }
}
