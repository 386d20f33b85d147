using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.Dropout(p) with the batch's mask from <see cref="DropoutMasks"/> (0 or 1/(1-p) per element, rounded once
/// to T): <c>y = x·mask</c> and <c>dIn = dOut·mask</c> in training; in evaluation (no masks) <c>y = x</c>. No sums.
/// </summary>
internal sealed unsafe class Dropout<T>(SpecLayer layer) : EngineLayer<T>(layer)
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private T[] _mask = [];
    private bool _training;

    public override void BindMasks(DropoutMasks? masks, int batch)
    {
        _training = masks != null;
        if (masks == null)
        {
            return;
        }
        if (masks.Batch != batch)
        {
            throw new ArgumentException($"the dropout masks are for {masks.Batch} images, the batch has {batch}", nameof(masks));
        }
        double[] mask = masks[Name];
        if (_mask.Length != mask.Length)
        {
            _mask = PinnedArray.Allocate<T>(mask.Length);
        }
        for (int i = 0; i < mask.Length; i++)
        {
            _mask[i] = T.CreateTruncating(mask[i]);
        }
    }

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        nint start = (nint)b0 * InputSize;
        int count = (b1 - b0) * InputSize;
        if (!_training)
        {
            new ReadOnlySpan<T>(input + start, count).CopyTo(new Span<T>(output + start, count));
            return;
        }
        Multiply(input + start, PinnedArray.Address(_mask) + start, output + start, count);
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        nint start = (nint)b0 * OutputSize;
        int count = (b1 - b0) * OutputSize;
        if (!_training)
        {
            new ReadOnlySpan<T>(dOutput + start, count).CopyTo(new Span<T>(dInput + start, count));
            return;
        }
        Multiply(dOutput + start, PinnedArray.Address(_mask) + start, dInput + start, count);
    }

    private static void Multiply(T* x, T* mask, T* y, int count)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= count - Vector<T>.Count; i += Vector<T>.Count)
            {
                Vector.Store(Vector.Load(x + i) * Vector.Load(mask + i), y + i);
            }
        }
        for (; i < count; i++)
        {
            y[i] = x[i] * mask[i];
        }
    }
}
