using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.AdaptiveAvgPool2d(1), which PyTorch computes as the mean over the plane (<c>input.mean((-1, -2))</c>).
/// Orders:
/// <code>
/// forward   out[b,c] = (Σ over (i, j) in order of in[b,c,i,j]) / (H·W)
/// input     dIn[b,c,i,j] = dOut[b,c] / (H·W)
/// </code>
/// Plain loops: a few additions per input value, nothing next to the convolutions before it.
/// </summary>
internal sealed unsafe class GlobalAvgPool2d<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _area = layer.Input.Height * layer.Input.Width;
    private readonly T _count = T.CreateTruncating(layer.Input.Height * layer.Input.Width);

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        int planes = (b1 - b0) * Layer.Input.Channels;
        T* inPlane = input + (nint)b0 * InputSize, outPlane = output + (nint)b0 * OutputSize;
        for (int plane = 0; plane < planes; plane++, inPlane += _area)
        {
            T sum = T.Zero;
            for (int i = 0; i < _area; i++)
            {
                sum += inPlane[i];
            }
            outPlane[plane] = sum / _count;
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        int planes = (b1 - b0) * Layer.Input.Channels;
        T* dInPlane = dInput + (nint)b0 * InputSize, dOutPlane = dOutput + (nint)b0 * OutputSize;
        for (int plane = 0; plane < planes; plane++, dInPlane += _area)
        {
            new Span<T>(dInPlane, _area).Fill(dOutPlane[plane] / _count);
        }
    }
}
