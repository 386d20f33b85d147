using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines;

/// <summary>
/// One batch through a <see cref="SpecNetwork{T}"/>: the input images and every layer's output, kept under the spec's
/// layer names (conv1, tanh1, avgpool1, flatten, dense1...), each B·size values in PyTorch's layout (NCHW, or B×F),
/// and the dropout masks the pass used (null: evaluation). <see cref="SpecNetwork{T}.Backward(ForwardPass{T}, ReadOnlySpan{byte})"/>
/// reads everything it needs from here. Flatten's output is the same array as its input.
/// </summary>
public sealed class ForwardPass<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _outputs;
    private readonly Dictionary<string, int> _index;

    internal ForwardPass(ArchitectureSpec spec, int batch)
    {
        Spec = spec;
        Batch = batch;
        Input = PinnedArray.Allocate<T>(batch * spec.Input.Size);
        _outputs = new T[spec.Layers.Count][];
        T[] previous = Input;
        for (int i = 0; i < _outputs.Length; i++)
        {
            SpecLayer layer = spec.Layers[i];
            previous = _outputs[i] = layer.Spec is FlattenSpec ? previous : PinnedArray.Allocate<T>(batch * layer.Output.Size);
        }
        _index = spec.Layers.Select((l, i) => (l.Name, i)).ToDictionary(x => x.Name, x => x.i);
    }

    public ArchitectureSpec Spec { get; }

    /// <summary>Images in the batch.</summary>
    public int Batch { get; }

    /// <summary>The batch's images as the network read them (B × 1 × 28 × 28).</summary>
    public T[] Input { get; }

    /// <summary>The output of layer <paramref name="layerName"/> for the whole batch.</summary>
    public T[] Output(string layerName) => _index.TryGetValue(layerName, out int i)
        ? _outputs[i]
        : throw new ArgumentException($"the spec has no layer '{layerName}'", nameof(layerName));

    /// <summary>The output of the <paramref name="index"/>-th layer (0-based, spec order).</summary>
    public T[] Output(int index) => _outputs[index];

    /// <summary>The last layer's output: B × 10 logits.</summary>
    public T[] Logits => _outputs[^1];

    /// <summary>The dropout masks of a training pass; null for an evaluation pass.</summary>
    public DropoutMasks? Masks { get; internal set; }

    /// <summary>How many rows of the logits have their first maximum at the label (<see cref="Predictions.CountCorrect{T}"/>).</summary>
    public int CountCorrect(ReadOnlySpan<byte> labels) => Predictions.CountCorrect<T>(Logits, labels[..Batch]);
}
