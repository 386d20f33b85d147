using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>One batch through a <see cref="ReferenceNetwork"/>: the images and every layer's output by name, each with its float32 rounding variance.</summary>
public sealed class ReferencePass
{
    private readonly Carried[] _outputs;
    private readonly Dictionary<string, int> _index;

    internal ReferencePass(ArchitectureSpec spec, int batch, Carried input, Carried[] outputs, Func<string, double[]>? masks)
    {
        Spec = spec;
        Batch = batch;
        Input = input;
        _outputs = outputs;
        Masks = masks;
        _index = spec.Layers.Select((l, i) => (l.Name, i)).ToDictionary(x => x.Name, x => x.i);
    }

    public ArchitectureSpec Spec { get; }

    public int Batch { get; }

    /// <summary>The images as the pass read them (exact: no rounding behind them).</summary>
    public Carried Input { get; }

    /// <summary>The dropout masks the pass used (null: evaluation).</summary>
    public Func<string, double[]>? Masks { get; }

    /// <summary>The output of layer <paramref name="layerName"/> for the whole batch.</summary>
    public Carried Output(string layerName) => _index.TryGetValue(layerName, out int i)
        ? _outputs[i]
        : throw new ArgumentException($"the spec has no layer '{layerName}'", nameof(layerName));

    /// <summary>The output of the <paramref name="index"/>-th layer (0-based).</summary>
    public Carried Output(int index) => _outputs[index];

    /// <summary>The input of the <paramref name="index"/>-th layer.</summary>
    public Carried InputOf(int index) => index == 0 ? Input : _outputs[index - 1];

    public Carried Logits => _outputs[^1];
}
