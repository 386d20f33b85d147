using CnnParity.Core.Architecture;

namespace CnnParity.Parity.Specs;

/// <summary>
/// Where a pass sits on the loss's kinks: which ReLU inputs are positive and which element each max-pool window
/// picks (the first largest, as PyTorch). The loss is piecewise smooth, and these choices name the piece; a finite-
/// difference probe whose +h and −h passes sit on another piece than the unperturbed pass measures no derivative.
/// </summary>
public sealed class KinkPattern : IEquatable<KinkPattern>
{
    readonly List<int[]> choices = new();

    /// <param name="input">the first layer's input (the images), then each layer's output by name</param>
    public KinkPattern(ArchitectureSpec spec, ReadOnlySpan<double> images, Func<string, double[]> output)
    {
        double[]? previous = null;
        foreach (var layer in spec.Layers)
        {
            if (layer.Spec is ActivationSpec { Kind: ActivationKind.ReLU } or Pool2dSpec { Kind: PoolKind.Max })
            {
                var input = previous ?? images.ToArray();
                choices.Add(layer.Spec is Pool2dSpec pool ? MaxPoolChoices(input, layer, pool) : ReluChoices(input));
            }
            previous = output(layer.Name);
        }
    }

    /// <summary>Whether the spec has a kink at all (ReLU or max-pool).</summary>
    public static bool HasKinks(ArchitectureSpec spec) =>
        spec.Layers.Any(l => l.Spec is ActivationSpec { Kind: ActivationKind.ReLU } or Pool2dSpec { Kind: PoolKind.Max });

    static int[] ReluChoices(double[] input)
    {
        var positive = new int[input.Length];
        for (int i = 0; i < input.Length; i++) positive[i] = input[i] > 0 ? 1 : 0;
        return positive;
    }

    // The flat index within each window of the element torch.nn.MaxPool2d picks: the first largest (no padding).
    static int[] MaxPoolChoices(double[] input, SpecLayer layer, Pool2dSpec pool)
    {
        var (inShape, outShape) = (layer.Input, layer.Output);
        int planes = input.Length / (inShape.Height * inShape.Width);
        var picks = new int[planes * outShape.Height * outShape.Width];
        int n = 0;
        for (int plane = 0; plane < planes; plane++)
        {
            int offset = plane * inShape.Height * inShape.Width;
            for (int oy = 0; oy < outShape.Height; oy++)
                for (int ox = 0; ox < outShape.Width; ox++)
                {
                    int best = -1;
                    double max = double.NegativeInfinity;
                    for (int ky = 0; ky < pool.Kernel; ky++)
                        for (int kx = 0; kx < pool.Kernel; kx++)
                        {
                            int index = (oy * pool.Stride + ky) * inShape.Width + ox * pool.Stride + kx;
                            double v = input[offset + index];
                            if (best < 0 || v > max || double.IsNaN(v)) { max = v; best = ky * pool.Kernel + kx; }
                        }
                    picks[n++] = best;
                }
        }
        return picks;
    }

    public bool Equals(KinkPattern? other) =>
        other is not null && choices.Count == other.choices.Count && choices.Zip(other.choices).All(p => p.First.AsSpan().SequenceEqual(p.Second));

    public override bool Equals(object? obj) => Equals(obj as KinkPattern);

    public override int GetHashCode() => choices.Count;
}
