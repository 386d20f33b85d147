using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Onnx.Export;
using CnnParity.Parity;
using CnnParity.Parity.Deployed;
using Google.Protobuf;

namespace CnnParity.Onnx.Tests;

/// <summary>
/// The deployed-model check on images that need no dataset: an export equals the from-scratch network and the twin,
/// and a graph that computes something else fails.
/// </summary>
public class DeployedParityTests
{
    const int Count = 60;

    static (double[] Images, byte[] Labels) Data(ArchitectureSpec spec)
    {
        double[] images = [.. TestNetworks.Images(spec, Count, 21).Select(v => (double)v)];
        var random = new NumPyRandomState(22);
        byte[] labels = [.. Enumerable.Range(0, Count).Select(_ => (byte)random.RandInt(0, 10))];
        return (images, labels);
    }

    [Theory]
    [InlineData("ch10")]
    [InlineData("lenet5")]
    [InlineData("conv(c=4,k=5,s=2,p=2,bias=false) relu maxpool(k=2) dropout(p=0.2) flatten dense(16) sigmoid dense(10)")]
    public void TheExportEqualsTheFromScratchNetworkAndTheTwin(string text)
    {
        var spec = SpecSource.Read(text);
        var (images, labels) = Data(spec);
        var result = DeployedModelParity.Run(spec, TestNetworks.Parameters(spec, 4), ModelProvenance.Initial(4), images, labels, threads: 2);
        Assert.True(result.Pass, string.Join("\n", result.Checks.Select(c => c.FailLine())));
        Assert.Equal(["logits", "probabilities"], result.Checks.Select(c => c.Tensor));
        Assert.All(result.Checks, c => Assert.Equal(
            [DeployedModelParity.OnnxRuntime, DeployedModelParity.MlNet, DeployedModelParity.Scratch, DeployedModelParity.Twin], c.Sides.Select(s => s.Side)));
        Assert.All(result.Checks, c => Assert.All(c.Sides, s => Assert.Equal(Count * ArchitectureSpec.Classes, s.Count)));
        Assert.All(result.Agreements, a => Assert.Equal(0, a.Flipped));
        Assert.Single(result.Accuracies.Select(a => a.Correct).Distinct());
        Assert.Equal(Count, result.MlNet.TestPredictions.Length);
    }

    /// <summary>
    /// The book's configuration after training: 10,000 saturated tanh units summed into each logit with weights grown
    /// tenfold. Float32 rounding alone then moves the logits by more than assert_close's atol 1e-5; each implementation
    /// stays within the rounding bound the float64 truth carries, and a Gemm that scales by 1.001 is blamed on the graph.
    /// </summary>
    [Fact]
    public void LongSumsOfGrownWeightsAreHeldToTheirRoundingAndAScaledGemmIsBlamedOnTheGraph()
    {
        var spec = ArchitectureSpec.Chapter10(numKernels: 16, grid: 25);
        var parameters = TestNetworks.Parameters(spec, 4);
        foreach (var (name, scale) in new[] { ("conv1.weight", 10.0), ("dense1.weight", 10.0) })
        {
            var values = parameters[name];
            for (int i = 0; i < values.Length; i++) values[i] *= scale;
        }
        var (images, labels) = Data(spec);
        var good = DeployedModelParity.Run(spec, parameters, ModelProvenance.Initial(4), images, labels, threads: 2);
        var logits = good.Checks.First(c => c.Tensor == "logits");
        Assert.True(good.Pass, string.Join("\n", good.Checks.Select(c => c.FailLine())));
        Assert.True(logits.Sides.Max(s => s.MaxAbs) > CnnParity.Testing.Tolerance.Float32.Atol,
            $"assert_close-f32 would pass, so this tests no long sum: {logits.Sides.Max(s => s.MaxAbs)}");

        // A Gemm that scales its product by 1.001: a fault smaller than most, larger than rounding.
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(OnnxExporter.Export(spec, name => parameters[name], ModelProvenance.Initial(4)));
        proto.Graph.Node.Single(n => n.Name == "dense1").Attribute.Add(
            new global::Onnx.AttributeProto { Name = "alpha", Type = global::Onnx.AttributeProto.Types.AttributeType.Float, F = 1.001f });
        var file = OnnxModelFile.FromBytes("scaled.onnx", proto.ToByteArray(), spec);
        var bad = DeployedModelParity.Run(file, images, labels, threads: 2);
        var failed = bad.Checks.First(c => c.Tensor == "logits");
        Assert.Equal([DeployedModelParity.OnnxRuntime, DeployedModelParity.MlNet], failed.Blamed.Select(s => s.Side));
        Assert.StartsWith("ONNX Runtime logits (f32, deployed, test set (60)): ", failed.FailLine());
    }

    [Fact]
    public void AGraphWithAnotherActivationFails()
    {
        var spec = ArchitectureSpec.Parse("lenet5");
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(new Model("lenet5", 4).Bytes);
        proto.Graph.Node.Single(n => n.Name == "tanh3").OpType = "Sigmoid";
        var file = OnnxModelFile.FromBytes("wrong.onnx", proto.ToByteArray(), spec);
        var (images, labels) = Data(spec);
        var result = DeployedModelParity.Run(file, images, labels, threads: 1);
        Assert.False(result.Pass);
        Assert.All(result.Checks, c => Assert.Equal([DeployedModelParity.OnnxRuntime, DeployedModelParity.MlNet], c.Blamed.Select(s => s.Side)));
    }
}
