using CnnParity.Core.Architecture;
using CsCheck;

namespace CnnParity.Parity.Grid;

/// <summary>
/// Random valid specs from <see cref="GridSpace"/>, as a CsCheck generator: the property test samples and shrinks it,
/// and <c>cnnparity parity --grid N --seed S</c> draws spec i from CsCheck's PCG seeded with S on stream i — integer
/// arithmetic only, so the same seed gives the same specs on every machine, and any one spec can be drawn alone
/// (which is what lets a shard take every K-th index).
/// </summary>
public static class SpecGrid
{
    static readonly Gen<GridActivation> Activation = Gen.Int[0, 4].Select(i => (GridActivation)i);
    static readonly Gen<double> Dropout = Gen.Int[0, GridSpace.DropoutChoices.Length - 1].Select(i => GridSpace.DropoutChoices[i]);

    static readonly Gen<GridConv> Conv = Gen.Select(
        Gen.Select(Gen.Int[1, GridSpace.MaxChannels], Gen.Int[GridSpace.MinKernel, GridSpace.MaxKernel],
                   Gen.Int[GridSpace.MinStride, GridSpace.MaxStride], Gen.Int[GridSpace.MinPadding, GridSpace.MaxPadding], Gen.Bool),
        Gen.Select(Activation, Gen.Int[0, 2].Select(i => (GridPool)i), Gen.Int[1, GridSpace.MaxPoolKernel], Gen.Int[1, GridSpace.MaxPoolStride], Dropout),
        (c, rest) => new GridConv(c.Item1, c.Item2, c.Item3, c.Item4, c.Item5, rest.Item1, rest.Item2, rest.Item3, rest.Item4, rest.Item5));

    static readonly Gen<GridDense> Dense = Gen.Select(Gen.Int[1, GridSpace.MaxDenseWidth], Gen.Bool, Activation, Dropout,
        (width, bias, activation, dropout) => new GridDense(width, bias, activation, dropout));

    /// <summary>Specs whose every layer fits its input (invalid draws are drawn again).</summary>
    public static readonly Gen<GridSpec> Specs = Gen.Select(
            Conv.Array[GridSpace.MinConvLayers, GridSpace.MaxConvLayers], Dense.Array[0, GridSpace.MaxHiddenDense], Gen.Bool,
            (convs, hidden, bias) => new GridSpec(convs, hidden, bias))
        .Where(spec => spec.TryBuild() is not null);

    /// <summary>Spec <paramref name="index"/> of the grid seeded with <paramref name="seed"/>: the same on every machine.</summary>
    public static GridSpec Draw(ulong seed, int index)
    {
        if (index < 0) throw new ArgumentOutOfRangeException(nameof(index));
        return Specs.Generate(new PCG((uint)index, seed), null, out _);
    }

    /// <summary>The indices of shard <paramref name="shard"/> (1-based) of <paramref name="shards"/>: every shards-th index from shard-1.</summary>
    public static IEnumerable<int> Shard(int count, int shard, int shards)
    {
        if (shards < 1 || shard < 1 || shard > shards) throw new ArgumentOutOfRangeException(nameof(shard), $"shard {shard}/{shards}");
        for (int i = shard - 1; i < count; i += shards) yield return i;
    }

    /// <summary>The parsed spec of a drawn one (always valid: invalid draws never leave <see cref="Specs"/>).</summary>
    public static ArchitectureSpec Build(GridSpec spec) => spec.TryBuild() ?? throw new InvalidOperationException($"the grid drew an invalid spec: {spec.Text}");
}
