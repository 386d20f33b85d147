using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines;

/// <summary>
/// What every dropout layer multiplies by in one training batch: per element 0 (dropped) or 1/(1-p) (kept and
/// scaled, as torch.nn.Dropout does), B·size values in the layer's layout (NCHW or B×F). The from-scratch engine, the
/// TorchSharp twin and the NumPy reference all multiply by exactly these numbers.
/// </summary>
public sealed class DropoutMasks
{
    private readonly Dictionary<string, double[]> _masks;

    public DropoutMasks(int batch, IReadOnlyDictionary<string, double[]> masks)
    {
        Batch = batch;
        _masks = new Dictionary<string, double[]>(masks);
    }

    /// <summary>Images the masks are for.</summary>
    public int Batch { get; }

    /// <summary>The dropout layers with a mask, in spec order.</summary>
    public IEnumerable<string> LayerNames => _masks.Keys;

    /// <summary>The mask of dropout layer <paramref name="layerName"/> (dropout1, dropout2...).</summary>
    public double[] this[string layerName] => _masks.TryGetValue(layerName, out double[]? mask)
        ? mask
        : throw new ArgumentException($"no dropout mask for layer '{layerName}'", nameof(layerName));

    /// <summary>
    /// Draws the masks of one batch: dropout layers in spec order, each
    /// <c>(rs.random_sample((B,) + shape) &gt;= p) / (1 - p)</c> in NumPy, i.e. keep when the draw is at least p, and
    /// the kept value is <c>1.0 / (1 - p)</c>. A spec without dropout draws nothing.
    /// </summary>
    public static DropoutMasks Draw(ArchitectureSpec spec, int batch, NumPyRandomState random)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        var masks = new Dictionary<string, double[]>();
        foreach (SpecLayer layer in spec.Layers)
        {
            if (layer.Spec is DropoutSpec dropout)
            {
                double p = dropout.P, scale = 1.0 / (1 - p);
                var mask = new double[batch * layer.Output.Size];
                for (int i = 0; i < mask.Length; i++)
                {
                    mask[i] = random.RandomSample() >= p ? scale : 0.0;
                }
                masks[layer.Name] = mask;
            }
        }
        return new DropoutMasks(batch, masks);
    }
}
