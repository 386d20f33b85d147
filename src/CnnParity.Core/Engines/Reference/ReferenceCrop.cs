using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>The chapter-10 crop to the top-left Side×Side of every plane; its gradient is 0 outside the corner.</summary>
internal sealed class ReferenceCrop(SpecLayer layer, CropSpec spec) : ReferenceLayer(layer)
{
    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = Carried.Zeros(batch * OutputSize);
        Copy(input, output, batch, toOutput: true);
        return output;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var dInput = Carried.Zeros(batch * InputSize);
        Copy(dInput, dOutput, batch, toOutput: false);
        return dInput;
    }

    private void Copy(Carried full, Carried corner, int batch, bool toOutput)
    {
        int side = spec.Side, h = Layer.Input.Height, w = Layer.Input.Width;
        for (int plane = 0; plane < batch * Layer.Input.Channels; plane++)
            for (int y = 0; y < side; y++)
                for (int x = 0; x < side; x++)
                {
                    int f = (plane * h + y) * w + x, c = (plane * side + y) * side + x;
                    if (toOutput) { corner.Value[c] = full.Value[f]; corner.Variance[c] = full.Variance[f]; }
                    else { full.Value[f] = corner.Value[c]; full.Variance[f] = corner.Variance[c]; }
                }
    }
}
