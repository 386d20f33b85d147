using CnnParity.Core;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The first batch as a side computing in <see cref="Dtype"/> receives it — images and dropout masks, rounded to float32
/// once where the dtype is float32 (<see cref="Float32Inputs"/>) — and the float64 reference built from the same
/// rounded parameters, so that the truth differs from a correct side by arithmetic rounding alone. The forward and the
/// gradient checks start from it.
/// </summary>
internal sealed record FirstBatchInputs(ReferenceNetwork Reference, Func<string, double[]> Masks, double[] Images)
{
    public static FirstBatchInputs Of(SpecParitySetup setup, Dtype dtype)
    {
        bool f32 = dtype == Dtype.Float32;
        Func<string, double[]> initial = name => setup.Initial[name];
        var reference = new ReferenceNetwork(setup.Spec, f32 ? Float32Inputs.Round(initial) : initial, setup.Options.Loss);
        return new(reference,
            f32 ? Float32Inputs.Round(setup.Masks) : setup.Masks,
            f32 ? Float32Inputs.Round(setup.FirstBatchImages) : setup.FirstBatchImages.ToArray());
    }
}
