namespace CnnParity.Parity.Triage;

/// <summary>
/// The branch decisions (ReLU signs, max-pool picks) a side took otherwise than the float64 truth, over one or more
/// layers: those the rounding bound explains (the value sat within its bound of the decision point: decided by rounding)
/// and those it does not (a failure: the side's value was wrong, or its branch is).
/// </summary>
/// <param name="Decided">decisions within rounding of the decision point</param>
/// <param name="Beyond">decisions the bound does not explain</param>
/// <param name="FirstBeyond">the first layer where one is not explained (null when all are)</param>
/// <param name="Layers">the layers with a differing decision, each with its two counts</param>
public sealed record BranchFlips(long Decided, long Beyond, string? FirstBeyond, IReadOnlyList<(string Layer, long Decided, long Beyond)> Layers)
{
    public static BranchFlips None { get; } = new(0, 0, null, []);

    /// <summary>The same counts with each layer listed once (flips of many chunks of one pass summed per layer).</summary>
    public BranchFlips Merged()
    {
        var layers = Layers.GroupBy(l => l.Layer).Select(g => (g.Key, g.Sum(l => l.Decided), g.Sum(l => l.Beyond))).ToList();
        return new BranchFlips(Decided, Beyond, layers.FirstOrDefault(l => l.Item3 > 0).Key, layers);
    }

    /// <summary>These flips and <paramref name="other"/>'s together.</summary>
    public BranchFlips Plus(BranchFlips other) =>
        new(Decided + other.Decided, Beyond + other.Beyond, FirstBeyond ?? other.FirstBeyond, [.. Layers, .. other.Layers]);
}
