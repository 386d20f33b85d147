using CnnParity.Testing;
using CnnParity.Onnx.Export;
using CnnParity.Parity;

namespace CnnParity.Onnx.Tests;

/// <summary>What the exported file holds besides the arithmetic: its nodes, names, batch dimension and metadata.</summary>
public class GraphTests
{
    static global::Onnx.ModelProto Proto(Model model) => global::Onnx.ModelProto.Parser.ParseFrom(model.Bytes);

    [Fact]
    public void OneNodePerLayerNamedAsTheLayerAndNoDropout()
    {
        var proto = Proto(new Model("conv(c=2,k=3,p=1) relu dropout(p=0.5) maxpool(k=2) flatten dense(8) sigmoid dense(10)"));
        Assert.Equal(["Conv", "Relu", "MaxPool", "Flatten", "Gemm", "Sigmoid", "Gemm", "Softmax"], proto.Graph.Node.Select(n => n.OpType));
        Assert.Equal(["conv1", "relu1", "maxpool1", "flatten", "dense1", "sigmoid1", "dense2", "softmax"], proto.Graph.Node.Select(n => n.Name));
        // maxpool reads relu1 directly: dropout is the identity at inference.
        Assert.Equal("relu1", proto.Graph.Node[2].Input[0]);
        Assert.Contains("dropout1", proto.Graph.DocString);
        Assert.Equal(["conv1.weight", "conv1.bias", "dense1.weight", "dense1.bias", "dense2.weight", "dense2.bias"],
            proto.Graph.Initializer.Select(i => i.Name));
    }

    [Fact]
    public void Chapter10CropIsASliceOfTheTopLeftGrid()
    {
        var proto = Proto(new Model("ch10", 1));
        Assert.Equal(["Conv", "Tanh", "Flatten", "Gemm", "Softmax"], proto.Graph.Node.Select(n => n.OpType));
        var spec = Core.Architecture.ArchitectureSpec.Chapter10(16, 25);
        var book = global::Onnx.ModelProto.Parser.ParseFrom(
            OnnxExporter.Export(spec, name => new double[spec.Parameters.Single(p => p.Name == name).Size], ModelProvenance.Initial(1)));
        var slice = book.Graph.Node.Single(n => n.OpType == "Slice");
        Assert.Equal("crop", slice.Name);
        Assert.Equal([25L, 25L], book.Graph.Initializer.Single(i => i.Name == "crop.ends").Int64Data);
        Assert.Equal([2L, 3L], book.Graph.Initializer.Single(i => i.Name == "crop.axes").Int64Data);
        Assert.Equal("ch10 --kernels 16 --grid 25", book.MetadataProps.Single(p => p.Key == OnnxExporter.ArchKey).Value);
    }

    [Fact]
    public void NamedInputAndOutputsWithASymbolicBatchAndMetadata()
    {
        var proto = Proto(new Model("lenet5", 7));
        Assert.Equal(OnnxFormat.IrVersion, proto.IrVersion);
        Assert.Equal(OnnxFormat.Opset, proto.OpsetImport.Single().Version);
        var input = proto.Graph.Input.Single();
        Assert.Equal(OnnxFormat.Input, input.Name);
        Assert.Equal(OnnxFormat.BatchDimension, input.Type.TensorType.Shape.Dim[0].DimParam);
        Assert.Equal([1L, 28L, 28L], input.Type.TensorType.Shape.Dim.Skip(1).Select(d => d.DimValue));
        Assert.Equal([OnnxFormat.Logits, OnnxFormat.Probabilities], proto.Graph.Output.Select(o => o.Name));
        var metadata = proto.MetadataProps.ToDictionary(p => p.Key, p => p.Value);
        Assert.Equal("lenet5", metadata[OnnxExporter.ArchKey]);
        Assert.Equal(Core.Architecture.ArchitectureSpec.Parse("lenet5").Text, metadata[OnnxExporter.SpecKey]);
        Assert.Equal("7", metadata[OnnxExporter.SeedKey]);
        Assert.Equal("initial weights of seed 7", metadata[OnnxExporter.WeightsKey]);
        Assert.Equal(ModelProvenance.CnnParityVersion, metadata[OnnxExporter.VersionKey]);
    }

    [Fact]
    public void AnyBatchSizeGivesTheSameBitsAndProbabilitiesAreTheSoftmax()
    {
        var model = new Model("lenet5-relu");
        const int count = 13;
        var images = TestNetworks.Images(model.Spec, count, 11);
        var whole = model.Score(images, count, threads: 1, batch: count);
        foreach (int batch in new[] { 1, 4 })
        {
            var split = model.Score(images, count, threads: 2, batch: batch);
            Assert.Equal(whole.Logits, split.Logits);
            Assert.Equal(whole.Probabilities, split.Probabilities);
        }
        for (int i = 0; i < count; i++)
        {
            var row = whole.Logits.AsSpan(i * 10, 10).ToArray();
            double max = row.Max(), sum = row.Sum(v => Math.Exp(v - max));
            for (int c = 0; c < 10; c++)
                Assert.True(CnnParity.Testing.Tolerance.Float32.Accepts(whole.Probabilities[i * 10 + c], Math.Exp(row[c] - max) / sum));
        }
    }

    [Fact]
    public void TheComparisonFailsWhenOneExportedWeightIsOff()
    {
        var model = new Model("conv(c=3,k=3) tanh flatten dense(10)");
        var images = TestNetworks.Images(model.Spec, 10, 5);
        var expected = TestNetworks.EngineLogits(model.Spec, TestNetworks.AsFloat32(model.Parameters), images, 10);
        var off = model.Parameters.Clone();
        off["dense1.weight"][100] += 1e-3;
        using var scorer = new Scoring.OnnxRuntimeScorer(OnnxExporter.Export(model.Spec, n => off[n], ModelProvenance.Initial(3)), 1, [1, 28, 28]);
        var meter = new DistanceMeter(CnnParity.Testing.Tolerance.Float32, TorchSharp.torch.ScalarType.Float32);
        meter.Add([.. scorer.Score(images, 10).Logits.Select(v => (double)v)], expected);
        Assert.False(meter.Pass);
    }
}
