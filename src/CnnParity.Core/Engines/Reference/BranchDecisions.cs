using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// The branch decisions of one pass, by layer name: per ReLU element whether its gradient passes (1: the output is
/// positive), per ReLU6 element its band (<see cref="Below"/>, <see cref="Between"/> or <see cref="Above"/> its kinks), per max-pool output the index within its input plane of the element picked. The loss is piecewise smooth
/// and these name the piece. Two passes in different precisions can take different decisions where a value sits within
/// rounding of a kink; <see cref="ReferenceNetwork.Backward"/> can route through any pass's decisions.
/// </summary>
public sealed class BranchDecisions : IEquatable<BranchDecisions>
{
    private readonly Dictionary<string, int[]> _byLayer;

    /// <summary>A ReLU6 element's band: at or below 0 (clamped to 0), strictly between 0 and 6 (the gradient passes), at or above 6.</summary>
    public const int Below = 0, Between = 1, Above = 2;

    public BranchDecisions(IReadOnlyDictionary<string, int[]> byLayer) => _byLayer = new Dictionary<string, int[]>(byLayer);

    /// <summary>The ReLU6 kink between two different bands (0 or 6), or null when they are not neighbours (0 against 6).</summary>
    public static double? ReLU6Kink(int a, int b) => (Math.Min(a, b), Math.Max(a, b)) switch
    {
        (Below, Between) => 0,
        (Between, Above) => ReferenceReLU6.Cap,
        _ => null,
    };

    /// <summary>The layers that decide (ReLU, ReLU6 and max-pool), in spec order.</summary>
    public IEnumerable<string> Layers => _byLayer.Keys;

    /// <summary>The decisions of layer <paramref name="layerName"/>, or null when it takes none.</summary>
    public int[]? Of(string layerName) => _byLayer.GetValueOrDefault(layerName);

    /// <summary>Whether the spec has any branch at all (a ReLU, a ReLU6 or a max-pool).</summary>
    public static bool HasBranches(ArchitectureSpec spec) => spec.Layers.Any(IsBranch);

    /// <summary>Whether the layer decides a branch: a ReLU, a ReLU6 or a max-pool.</summary>
    public static bool IsBranch(SpecLayer l) =>
        l.Spec is ActivationSpec { Kind: ActivationKind.ReLU or ActivationKind.ReLU6 } or Pool2dSpec { Kind: PoolKind.Max };

    /// <summary>
    /// The decisions a pass took, read off its outputs as PyTorch's backward reads them: a ReLU passes where its output is
    /// positive (threshold_backward), a ReLU6 strictly between its kinks (hardtanh_backward), a max-pool routes to the first largest element of its input window.
    /// </summary>
    /// <param name="images">the pass's input, batch × 784</param>
    /// <param name="output">each layer's output by name, in the spec's layout</param>
    public static BranchDecisions FromOutputs(ArchitectureSpec spec, ReadOnlySpan<double> images, int batch, Func<string, double[]> output)
    {
        var decisions = new Dictionary<string, int[]>();
        for (int l = 0; l < spec.Layers.Count; l++)
        {
            var layer = spec.Layers[l];
            if (layer.Spec is Pool2dSpec { Kind: PoolKind.Max } pool)
            {
                var input = l == 0 ? images[..(batch * spec.Input.Size)].ToArray() : output(spec.Layers[l - 1].Name);
                decisions[layer.Name] = ReferenceMaxPool2d.Picks(layer, pool, input, batch);
            }
            else if (layer.Spec is ActivationSpec { Kind: ActivationKind.ReLU6 })
            {
                decisions[layer.Name] = ReferenceReLU6.Bands(output(layer.Name));
            }
            else if (IsBranch(layer))
            {
                decisions[layer.Name] = ReferenceReLU.Signs(output(layer.Name));
            }
        }
        return new BranchDecisions(decisions);
    }

    /// <summary>How many decisions of layer <paramref name="layerName"/> differ from <paramref name="other"/>'s.</summary>
    public int Differences(BranchDecisions other, string layerName)
    {
        int[]? a = Of(layerName), b = other.Of(layerName);
        if (a is null || b is null) return 0;
        int n = 0;
        for (int i = 0; i < a.Length; i++) if (a[i] != b[i]) n++;
        return n;
    }

    public bool Equals(BranchDecisions? other) =>
        other is not null && _byLayer.Count == other._byLayer.Count
        && _byLayer.All(p => other._byLayer.TryGetValue(p.Key, out var q) && p.Value.AsSpan().SequenceEqual(q));

    public override bool Equals(object? obj) => Equals(obj as BranchDecisions);

    public override int GetHashCode() => _byLayer.Count;
}
