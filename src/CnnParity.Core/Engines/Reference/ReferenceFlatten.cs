using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>torch.nn.Flatten: the same values, read as one vector per image; no arithmetic.</summary>
internal sealed class ReferenceFlatten(SpecLayer layer) : ReferenceLayer(layer)
{
    public override Carried Forward(Carried input, int batch, double[]? mask) => input;

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients) => dOutput;
}
