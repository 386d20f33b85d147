using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests.Twin;

/// <summary>The twin built from a spec: its names, shapes, parameter copies and dropout, checked against the spec and TorchSharp.</summary>
public class SpecTwinTests
{
    const string DoneWhen = "conv(c=4,k=2,s=2) relu conv(c=8,k=3,p=1) tanh maxpool(k=3,s=2) flatten dense(32) tanh dense(10)";

    public static TheoryData<string> Specs => new()
    {
        "lenet5", "lenet5-relu", DoneWhen,
        "conv(c=3,k=7,s=3,p=3,bias=false) sigmoid avgpool(k=2,s=1) dropout(p=0.25) flatten dense(7,bias=false) relu dropout(p=0.5) dense(10)",
        "conv(c=4,k=3) relu6 maxpool(k=2) flatten dense(16) relu6 dense(10)",
        "conv(c=4,k=3,s=2) tanh conv(c=6,k=3) relu gap flatten dense(10)",
        "conv(c=4,k=3,s=2) tanh conv(c=8,k=3,g=2) relu conv(c=8,k=3,p=1,g=8,bias=false) flatten dense(10)",
        "conv(c=4,k=3,s=2) batchnorm relu conv(c=6,k=3) batchnorm(momentum=0.3) gap flatten dense(12) batchnorm tanh dense(10)",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void StateDictNamesAndShapesAreTheSpecs(string text)
    {
        var spec = ArchitectureSpec.Parse(text);
        using var twin = new SpecTwin(spec, float64);

        var names = twin.named_parameters().Select(p => p.name).ToList();
        Assert.Equal(spec.Parameters.Select(p => p.Name), names);
        foreach (var p in spec.Parameters)
            Assert.Equal(p.Shape, twin.Parameter(p.Name).shape);
        Assert.Equal(spec.Layers.Select(l => l.Name), twin.named_children().Select(c => c.name));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void EveryLayerOutputHasTheSpecsShape(string text)
    {
        var spec = ArchitectureSpec.Parse(text);
        using var twin = new SpecTwin(spec, float32);
        using var scope = NewDisposeScope();
        var pass = twin.Forward(rand(3, 1, 28, 28, dtype: float32), null);

        Assert.Equal(spec.Layers.Select(l => l.Name), pass.Names);
        foreach (var layer in spec.Layers)
            Assert.Equal(layer.Output.BatchShape(3), pass.Output(layer.Name).shape);
    }

    [Fact]
    public void ParametersAreCopiedInBitForBitAndRoundedOnceForFloat32()
    {
        var spec = ArchitectureSpec.Parse("lenet5");
        var random = new NumPyRandomState(7);
        var values = spec.Parameters.ToDictionary(p => p.Name, p => Enumerable.Range(0, p.Size).Select(_ => 2 * random.RandomSample() - 1).ToArray());
        using var f64 = new SpecTwin(spec, float64);
        using var f32 = new SpecTwin(spec, float32);
        foreach (var p in spec.Parameters)
        {
            f64.Load(p, values[p.Name]);
            f32.Load(p, values[p.Name]);
        }

        foreach (var p in spec.Parameters)
        {
            Assert.Equal(values[p.Name].Select(BitConverter.DoubleToInt64Bits), f64.Values(p.Name).Select(BitConverter.DoubleToInt64Bits));
            Assert.Equal(values[p.Name].Select(v => (double)(float)v), f32.Values(p.Name));
            Assert.Equal(float32, f32.Parameter(p.Name).dtype);
        }
    }

    [Fact]
    public void ALoadOfTheWrongSizeIsRefused()
    {
        var spec = ArchitectureSpec.Parse(DoneWhen);
        using var twin = new SpecTwin(spec, float64);
        var conv = spec.Parameters[0];
        Assert.Throws<ArgumentException>(() => twin.Load(conv, new double[conv.Size - 1]));
    }

    /// <summary>Dropout multiplies by the scale it is given (zeros included) and is the identity in eval.</summary>
    [Fact]
    public void DropoutMultipliesByTheEnginesScaleAndIsTheIdentityInEval()
    {
        var spec = ArchitectureSpec.Parse("conv(c=2,k=3) tanh dropout(p=0.5) flatten dense(10)");
        using var twin = new SpecTwin(spec, float64);
        var dropout = spec.Layer("dropout1");
        int size = dropout.Output.Size * 2;
        var scale = Enumerable.Range(0, size).Select(i => i % 3 == 0 ? 0.0 : 2.0).ToArray();
        var images = Enumerable.Range(0, 2 * 784).Select(i => (i % 17) / 16.0).ToArray();
        using var scope = NewDisposeScope();
        using var _ = no_grad();

        var train = twin.Forward(twin.Images(images, 2), twin.DropoutScales(name => name == "dropout1" ? scale : throw new ArgumentException(name), 2));
        var eval = twin.Forward(twin.Images(images, 2), null);

        var tanh = SpecLayout.ToDoubles(train.Output("tanh1"));
        Assert.Equal(tanh.Select((t, i) => t * scale[i]), SpecLayout.ToDoubles(train.Output("dropout1")));
        Assert.Equal(SpecLayout.ToDoubles(eval.Output("tanh1")), SpecLayout.ToDoubles(eval.Output("dropout1")));
        Assert.Throws<ArgumentException>(() => twin.DropoutScales(null, 2));
    }

    /// <summary>
    /// Built from the ch10 spec (crop to 25 included) and given the notebook's weights (in the spec's layout), the spec twin
    /// computes the bits of chapter 10's network written in TorchSharp's functional ops: conv2d without bias, the slice to
    /// the grid, tanh, × the mask, flatten, linear without bias.
    /// </summary>
    [Theory]
    [InlineData(25)]
    [InlineData(26)]
    public void TheCh10SpecTwinComputesChapter10sNetworkInTorchSharpsOwnOps(int grid)
    {
        var spec = ArchitectureSpec.Chapter10(4, grid);
        var layout = new NotebookLayout(4, grid);
        var random = new NumPyRandomState(3);
        var parameters = ParameterSet<double>.Initialize(spec, random, Initialisation.Notebook);
        using var twin = new SpecTwin(spec, float64);
        foreach (var p in spec.Parameters) twin.Load(p, parameters[p.Name]);
        var images = Enumerable.Range(0, 5 * 784).Select(_ => random.RandomSample()).ToArray();
        var mask = Enumerable.Range(0, 5 * layout.Hidden).Select(_ => random.RandomSample() < 0.5 ? 2.0 : 0.0).ToArray();
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        var x = tensor(images, new long[] { 5, 1, 28, 28 }, float64);
        var scale = tensor(mask, new long[] { 5, 4, grid, grid }, float64);
        var convWeight = tensor(parameters["conv1.weight"], new long[] { 4, 1, 3, 3 }, float64);
        var denseWeight = tensor(parameters["dense1.weight"], new long[] { 10, layout.Hidden }, float64);

        var conv = nn.functional.conv2d(x, convWeight)[.., .., ..grid, ..grid];
        var tanh = conv.tanh();
        var dropped = tanh * scale;
        var logits = nn.functional.linear(dropped.flatten(1), denseWeight);
        var pass = twin.Forward(x, new Dictionary<string, Tensor> { ["dropout1"] = scale });

        AssertBits(conv, pass.Output(grid == 26 ? "conv1" : "crop"));
        AssertBits(tanh, pass.Output("tanh1"));
        AssertBits(dropped, pass.Output("dropout1"));
        AssertBits(logits, pass.Logits);
    }

    static void AssertBits(Tensor expected, Tensor actual) =>
        Assert.Equal(SpecLayout.ToDoubles(expected).Select(BitConverter.DoubleToInt64Bits), SpecLayout.ToDoubles(actual).Select(BitConverter.DoubleToInt64Bits));
}
