using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Flatten: C×H×W becomes C·H·W features in NCHW order — which is how an image is already stored, so the
/// output is the input array itself and the input gradient is the output gradient. No arithmetic, no sums.
/// </summary>
internal sealed unsafe class Flatten<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    public override bool PassesInputThrough => true;

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        if (input != output)
        {
            Copy(input, output, b0, b1);
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput != null && dInput != dOutput)
        {
            Copy(dOutput, dInput, b0, b1);
        }
    }

    private void Copy(T* from, T* to, int b0, int b1) =>
        new ReadOnlySpan<T>(from + (nint)b0 * InputSize, (b1 - b0) * InputSize).CopyTo(new Span<T>(to + (nint)b0 * InputSize, (b1 - b0) * InputSize));
}
