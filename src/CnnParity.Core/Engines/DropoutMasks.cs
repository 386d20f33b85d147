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
    private readonly IReadOnlyList<string> _names;
    private readonly Func<string, double[]>? _make;

    public DropoutMasks(int batch, IReadOnlyDictionary<string, double[]> masks)
    {
        Batch = batch;
        _masks = new Dictionary<string, double[]>(masks);
        _names = [.. _masks.Keys];
    }

    /// <summary>
    /// Masks made only when first read (then kept): an engine that keeps its masks in another layout hands them out this
    /// way, so a run that never reads them pays nothing.
    /// </summary>
    public DropoutMasks(int batch, IReadOnlyList<string> layerNames, Func<string, double[]> make)
    {
        Batch = batch;
        _masks = [];
        _names = layerNames;
        _make = make;
    }

    /// <summary>Images the masks are for.</summary>
    public int Batch { get; }

    /// <summary>The dropout layers with a mask, in spec order.</summary>
    public IEnumerable<string> LayerNames => _names;

    /// <summary>The mask of dropout layer <paramref name="layerName"/> (dropout1, dropout2...).</summary>
    public double[] this[string layerName]
    {
        get
        {
            if (_masks.TryGetValue(layerName, out double[]? mask))
            {
                return mask;
            }
            if (_make is null || !_names.Contains(layerName))
            {
                throw new ArgumentException($"no dropout mask for layer '{layerName}'", nameof(layerName));
            }
            return _masks[layerName] = _make(layerName);
        }
    }

    /// <summary>
    /// Draws the masks of one batch: dropout layers in spec order, each
    /// <c>(rs.random_sample((B,) + shape) &gt;= p) / (1 - p)</c> in NumPy, i.e. keep when the draw is at least p, and
    /// the kept value is <c>1.0 / (1 - p)</c>. A spec without dropout draws nothing.
    /// </summary>
    public static DropoutMasks Draw(ArchitectureSpec spec, int batch, NumPyRandomState random) => Draw(spec, batch, random, MaskDraw.RandomSample);

    /// <summary>The masks of one batch as <paramref name="draw"/> draws them (<see cref="MaskDraw"/>).</summary>
    public static DropoutMasks Draw(ArchitectureSpec spec, int batch, NumPyRandomState random, MaskDraw draw)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        if (draw == MaskDraw.NotebookRandInt)
        {
            return DrawRandInt(spec, batch, random);
        }
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

    // The notebook's dropout_mask = randint(2, size=layer_1.shape): one draw per unit, image by image, each image's units
    // position-major (NHWC, as its hidden vector is laid out), moved to NCHW here and scaled by 1/(1-p) (its `mask * 2`).
    private static DropoutMasks DrawRandInt(ArchitectureSpec spec, int batch, NumPyRandomState random)
    {
        var masks = new Dictionary<string, double[]>();
        foreach (SpecLayer layer in spec.Layers)
        {
            if (layer.Spec is not DropoutSpec dropout)
            {
                continue;
            }
            var shape = layer.Output;
            int planes = shape.Channels, area = shape.Size / planes, size = shape.Size;
            var bits = new double[batch * size];
            random.RandInt(0, 2, bits);
            double scale = 1.0 / (1 - dropout.P);
            var mask = new double[bits.Length];
            for (int b = 0; b < batch; b++)
            {
                for (int p = 0; p < area; p++)
                {
                    for (int c = 0; c < planes; c++)
                    {
                        mask[b * size + c * area + p] = bits[b * size + p * planes + c] * scale;
                    }
                }
            }
            masks[layer.Name] = mask;
        }
        return new DropoutMasks(batch, masks);
    }
}
