using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// The chapter-10 preset's crop to the top-left Side×Side of each plane (the book's <c>range(28-3)</c>). Copies only:
/// the input gradient is the output gradient in the kept corner and 0 elsewhere.
/// </summary>
internal sealed unsafe class Crop<T>(SpecLayer layer, CropSpec spec) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _side = spec.Side;

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        int h = Layer.Input.Height, w = Layer.Input.Width;
        for (int b = b0; b < b1; b++)
        {
            for (int c = 0; c < Layer.Input.Channels; c++)
            {
                for (int y = 0; y < _side; y++)
                {
                    new ReadOnlySpan<T>(input + (nint)b * InputSize + (c * h + y) * w, _side)
                        .CopyTo(new Span<T>(output + (nint)b * OutputSize + (c * _side + y) * _side, _side));
                }
            }
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        int h = Layer.Input.Height, w = Layer.Input.Width;
        new Span<T>(dInput + (nint)b0 * InputSize, (b1 - b0) * InputSize).Clear();
        for (int b = b0; b < b1; b++)
        {
            for (int c = 0; c < Layer.Input.Channels; c++)
            {
                for (int y = 0; y < _side; y++)
                {
                    new ReadOnlySpan<T>(dOutput + (nint)b * OutputSize + (c * _side + y) * _side, _side)
                        .CopyTo(new Span<T>(dInput + (nint)b * InputSize + (c * h + y) * w, _side));
                }
            }
        }
    }
}
