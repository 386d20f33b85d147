using CnnParity.Core.Architecture;

namespace CnnParity.Core.Tests.Architecture;

/// <summary>Shapes, names, parameters and multiply-adds of specs, checked against numbers worked out by hand.</summary>
public sealed class ArchitectureSpecTests
{
    [Fact]
    public void IssueSpecHasTheShapesPyTorchGives()
    {
        var spec = ArchitectureSpec.Parse("conv(c=4,k=2,s=2) relu conv(c=8,k=3,p=1) tanh maxpool(k=3,s=2) flatten dense(32) tanh dense(10)");

        // floor((28-2)/2)+1 = 14; (14+2-3)/1+1 = 14; floor((14-3)/2)+1 = 6; 8·6·6 = 288.
        Assert.Equal(["4x14x14", "4x14x14", "8x14x14", "8x14x14", "8x6x6", "288", "32", "32", "10"],
                     spec.Layers.Select(l => l.Output.ToString()));
        Assert.Equal(["conv1", "relu1", "conv2", "tanh1", "maxpool1", "flatten", "dense1", "tanh2", "dense2"],
                     spec.Layers.Select(l => l.Name));
        Assert.Equal(["conv1.weight", "conv1.bias", "conv2.weight", "conv2.bias", "dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"],
                     spec.Parameters.Select(p => p.Name));
        Assert.Equal([8L, 4, 3, 3], spec.Parameters[2].Shape);
        Assert.Equal(36, spec.Parameters[2].FanIn);
        Assert.Equal([32L, 288], spec.Parameters[4].Shape);
        // 4·1·2·2+4 + 8·4·9+8 + 288·32+32 + 32·10+10
        Assert.Equal(20 + 296 + 9248 + 330, spec.ParameterCount);
        // 4·14·14·4 + 8·14·14·36 + 288·32 + 32·10
        Assert.Equal(3136 + 56448 + 9216 + 320, spec.MultiplyAdds);
    }

    [Fact]
    public void LeNet5IsTheClassicNetwork()
    {
        var spec = ArchitectureSpec.Parse("lenet5");

        Assert.Equal("lenet5", spec.Preset);
        Assert.Equal(["6x28x28", "6x28x28", "6x14x14", "16x10x10", "16x10x10", "16x5x5", "400", "120", "120", "84", "84", "10"],
                     spec.Layers.Select(l => l.Output.ToString()));
        Assert.Equal(61_706, spec.ParameterCount); // the usual count for LeNet-5 on padded MNIST
        Assert.Equal(117_600 + 240_000 + 48_000 + 10_080 + 840, spec.MultiplyAdds);
        Assert.Equal(ArchitecturePresets.LeNet5, spec.Text);
    }

    [Fact]
    public void LeNet5ReluSwapsActivationsAndPools()
    {
        var relu = ArchitectureSpec.Parse("lenet5-relu");
        var tanh = ArchitectureSpec.Parse("lenet5");

        Assert.Equal(tanh.Layers.Select(l => l.Output), relu.Layers.Select(l => l.Output));
        Assert.Contains(relu.Layers, l => l.Spec is Pool2dSpec { Kind: PoolKind.Max });
        Assert.DoesNotContain(relu.Layers, l => l.Spec is ActivationSpec { Kind: ActivationKind.Tanh });
    }

    [Theory]
    [InlineData("conv(c=6, k=5, p=2)  tanh   flatten dense(10)", "conv(c=6,k=5,p=2) tanh flatten dense(10)")]
    [InlineData("CONV(C=3,K=3,S=1,P=0,BIAS=TRUE) flatten dense(10,bias=true)", "conv(c=3,k=3) flatten dense(10)")]
    [InlineData("conv(c=3,k=3,bias=false) avgpool(k=2,s=2) maxpool(k=3,s=1) flatten dropout(p=0.25) dense(10,bias=false)",
                "conv(c=3,k=3,bias=false) avgpool(k=2) maxpool(k=3,s=1) flatten dropout(p=0.25) dense(10,bias=false)")]
    [InlineData("flatten dense(10)", "flatten dense(10)")]
    public void CanonicalTextDropsDefaultsAndParsesBack(string written, string canonical)
    {
        var spec = ArchitectureSpec.Parse(written);

        Assert.Equal(canonical, spec.Text);
        Assert.Equal(canonical, ArchitectureSpec.Parse(spec.Text).Text);
    }

    [Theory]
    [InlineData(4, 26, "conv(c=4,k=3,bias=false) tanh dropout(p=0.5) flatten dense(10,bias=false)", 2704)]
    [InlineData(16, 25, "conv(c=16,k=3,bias=false) crop(25x25) tanh dropout(p=0.5) flatten dense(10,bias=false)", 10000)]
    public void Chapter10IsTheBooksNetwork(int kernels, int grid, string text, int hidden)
    {
        var spec = ArchitectureSpec.Chapter10(kernels, grid);

        Assert.True(spec.IsChapter10);
        Assert.Equal(text, spec.Text);
        Assert.Equal(hidden, spec.Layer("flatten").Output.Channels);
        Assert.Equal(9 * kernels + hidden * 10, spec.ParameterCount);
        Assert.False(ArchitectureSpec.Parse("lenet5").IsChapter10);
    }

    [Fact]
    public void LayerTableListsEveryLayerAndTheTotals()
    {
        string table = LayerTable.Render(ArchitectureSpec.Parse("lenet5"));

        Assert.Contains("conv1     conv(c=6,k=5,p=2)  6x28x28          156        117,600", table);
        Assert.Contains("total                                      61,706        416,520", table);
        Assert.Equal(17, table.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length); // title, header, input, 12 layers, total, note
    }

    [Fact]
    public void ReLU6KeepsTheShapeAndIsNamedWithAnUnderscore()
    {
        var spec = ArchitectureSpec.Parse("conv(c=4,k=3) RELU6 flatten dense(16) relu6 dense(10)");

        Assert.Equal("conv(c=4,k=3) relu6 flatten dense(16) relu6 dense(10)", spec.Text);
        Assert.Equal(["conv1", "relu6_1", "flatten", "dense1", "relu6_2", "dense2"], spec.Layers.Select(l => l.Name));
        Assert.Equal(spec.Layers[0].Output, spec.Layers[1].Output);
        Assert.Equal(ActivationKind.ReLU6, Assert.IsType<ActivationSpec>(spec.Layers[1].Spec).Kind);
        Assert.Contains("relu6_1", LayerTable.Render(spec));
    }

    [Fact]
    public void GapPoolsEveryChannelToOneValue()
    {
        var spec = ArchitectureSpec.Parse("conv(c=8,k=3,s=2) relu gap flatten dense(10)");

        Assert.Equal(["conv1", "relu1", "gap", "flatten", "dense1"], spec.Layers.Select(l => l.Name));
        Assert.Equal(["8x13x13", "8x13x13", "8x1x1", "8", "10"], spec.Layers.Select(l => l.Output.ToString()));
        Assert.Equal("conv(c=8,k=3,s=2) relu gap flatten dense(10)", spec.Text);
        Assert.Equal(0, spec.Layer("gap").Parameters);
    }

    [Fact]
    public void AGroupedConvolutionHasPyTorchsWeightShapeAndFanIn()
    {
        var spec = ArchitectureSpec.Parse("conv(c=8,k=3) conv(c=16,k=3,p=1,g=4) conv(c=16,k=3,g=16,bias=false) flatten dense(10)");

        Assert.Equal("conv(c=8,k=3) conv(c=16,k=3,p=1,g=4) conv(c=16,k=3,g=16,bias=false) flatten dense(10)", spec.Text);
        Assert.Equal([16L, 2, 3, 3], spec.Parameters[2].Shape); // (out, in/g, k, k)
        Assert.Equal(18, spec.Parameters[2].FanIn);
        Assert.Equal([16L, 1, 3, 3], spec.Parameters[4].Shape); // depthwise
        Assert.Equal(9, spec.Parameters[4].FanIn);
        Assert.Equal(16 * 2 * 9 + 16, spec.Layer("conv2").Parameters);
        Assert.Equal(16L * 26 * 26 * 2 * 9, spec.Layer("conv2").MultiplyAdds);
    }

    [Fact]
    public void BatchNormHasPyTorchsParametersAndBuffers()
    {
        var spec = ArchitectureSpec.Parse("conv(c=4,k=3) batchnorm relu flatten dense(16) batchnorm(eps=0.001,momentum=0.2) dense(10)");

        Assert.Equal("conv(c=4,k=3) batchnorm relu flatten dense(16) batchnorm(eps=0.001,momentum=0.2) dense(10)", spec.Text);
        Assert.Equal(["conv1", "batchnorm1", "relu1", "flatten", "dense1", "batchnorm2", "dense2"], spec.Layers.Select(l => l.Name));
        Assert.Equal(["conv1.weight", "conv1.bias", "batchnorm1.weight", "batchnorm1.bias", "dense1.weight", "dense1.bias",
                      "batchnorm2.weight", "batchnorm2.bias", "dense2.weight", "dense2.bias"], spec.Parameters.Select(p => p.Name));
        Assert.Equal(["batchnorm1.running_mean", "batchnorm1.running_var", "batchnorm1.num_batches_tracked",
                      "batchnorm2.running_mean", "batchnorm2.running_var", "batchnorm2.num_batches_tracked"], spec.Buffers.Select(b => b.Name));
        Assert.Equal([4L], spec.Parameters[2].Shape);
        Assert.Equal([16L], spec.Buffers[4].Shape);
        Assert.Empty(spec.Buffers[2].Shape);
        Assert.Equal([1.0, 0.0], spec.Parameters.Where(p => p.Layer.Name == "batchnorm2").Select(p => p.Constant!.Value));
        var values = Core.Engines.ParameterSet<double>.Initialize(spec, new Core.NumPy.NumPyRandomState(1));
        Assert.All(values["batchnorm1.weight"], v => Assert.Equal(1.0, v));
        Assert.All(values["batchnorm1.bias"], v => Assert.Equal(0.0, v));
        // Nothing is drawn for γ and β: dense1 draws what it draws without them.
        var plain = Core.Engines.ParameterSet<double>.Initialize(ArchitectureSpec.Parse("conv(c=4,k=3) relu flatten dense(16) dense(10)"), new Core.NumPy.NumPyRandomState(1));
        Assert.Equal(plain["dense1.weight"], values["dense1.weight"]);
    }
}
