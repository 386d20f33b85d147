using CnnParity.Core.Architecture;
using CnnParity.Parity.Grid;

namespace CnnParity.Parity.Tests.Grid;

/// <summary>The grid's generator: valid, seeded the same everywhere, covering the whole of <see cref="GridSpace"/>.</summary>
public class SpecGridTests
{
    /// <summary>
    /// Pinned draws: the same seed and index give these texts on any machine (PCG and integer arithmetic only). A new
    /// CsCheck version that draws differently shows here first.
    /// </summary>
    [Theory]
    [InlineData(1, 0, "conv(c=6,k=3,p=2,bias=false) relu6 maxpool(k=3) conv(c=1,k=3,s=3,bias=false) sigmoid avgpool(k=3,s=1) dropout(p=0.5) flatten dense(10)")]
    [InlineData(1, 3, "conv(c=3,k=6,s=3,p=3) relu6 flatten dense(6,bias=false) relu dropout(p=0.25) dense(10,bias=false)")]
    public void ASeedAndIndexAlwaysDrawTheSameSpec(ulong seed, int index, string text)
    {
        Assert.Equal(text, SpecGrid.Draw(seed, index).Text);
        Assert.Equal(text, SpecGrid.Draw(seed, index).Text);
    }

    [Fact]
    public void ShardsPartitionTheIndices()
    {
        var shards = Enumerable.Range(1, 4).Select(s => SpecGrid.Shard(10, s, 4).ToList()).ToList();
        Assert.Equal([0, 4, 8], shards[0]);
        Assert.Equal([3, 7], shards[3]);
        Assert.Equal(Enumerable.Range(0, 10), shards.SelectMany(s => s).Order());
    }

    /// <summary>300 draws parse, and reach every value of every range of <see cref="GridSpace"/>.</summary>
    [Fact]
    public void DrawsAreValidAndCoverTheSpace()
    {
        var specs = Enumerable.Range(0, 300).Select(i => ArchitectureSpec.Parse(SpecGrid.Draw(7, i).Text)).ToList();
        var layers = specs.SelectMany(s => s.Layers.Select(l => l.Spec)).ToList();
        var convs = layers.OfType<Conv2dSpec>().ToList();

        Assert.Equal([1, 2, 3], specs.Select(s => s.Layers.Count(l => l.Spec is Conv2dSpec)).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 7), convs.Select(c => c.Kernel).Distinct().Order());
        Assert.Equal(Enumerable.Range(1, 3), convs.Select(c => c.Stride).Distinct().Order());
        Assert.Equal(Enumerable.Range(0, 4), convs.Select(c => c.Padding).Distinct().Order());
        Assert.Equal([false, true], convs.Select(c => c.Bias).Distinct().Order());
        Assert.Equal(Enum.GetValues<ActivationKind>(), layers.OfType<ActivationSpec>().Select(a => a.Kind).Distinct().Order());
        Assert.Equal(Enum.GetValues<PoolKind>(), layers.OfType<Pool2dSpec>().Select(p => p.Kind).Distinct().Order());
        Assert.Equal([0.25, 0.5], layers.OfType<DropoutSpec>().Select(d => d.P).Distinct().Order());
        Assert.Equal([0, 1, 2], specs.Select(s => s.Layers.Count(l => l.Spec is DenseSpec) - 1).Distinct().Order());
    }
}
