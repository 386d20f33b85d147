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
        Assert.True(result.Pass, string.Join("\n", result.Comparisons));
        Assert.Equal(6, result.Comparisons.Count);
        Assert.All(result.Comparisons, c => Assert.Equal(Count * ArchitectureSpec.Classes, c.Distance.Count));
        Assert.All(result.Agreements, a => Assert.Equal(0, a.Flipped));
        Assert.Single(result.Accuracies.Select(a => a.Correct).Distinct());
        Assert.Equal(Count, result.MlNet.TestPredictions.Length);
    }

    /// <summary>
    /// The book's configuration after training: 10,000 saturated tanh units summed into each logit with weights of
    /// 0.05 on average. Float32 rounding alone then moves the logits by more than assert_close's atol 1e-5; the
    /// tolerance follows the engine's measured rounding, and a dense weight off by 1e-3 is still caught.
    /// </summary>
    [Fact]
    public void LongSumsOfGrownWeightsAreHeldToTheirOwnRoundingAndAWrongWeightStillFails()
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
        var logits = good.Comparisons.First(c => c.Output == "logits");
        Assert.True(good.Pass, string.Join("\n", good.Comparisons));
        Assert.True(logits.Tolerance.Atol > Tolerances.ForwardFloat32.Atol, $"not widened: {logits.Tolerance}");
        Assert.True(logits.Distance.MaxAbs > Tolerances.ForwardFloat32.Atol, $"assert_close-f32 would pass, so this tests no widening: {logits.Distance}");

        // A Gemm that scales its product by 1.001: a fault smaller than most, larger than rounding.
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(OnnxExporter.Export(spec, name => parameters[name], ModelProvenance.Initial(4)));
        proto.Graph.Node.Single(n => n.Name == "dense1").Attribute.Add(
            new global::Onnx.AttributeProto { Name = "alpha", Type = global::Onnx.AttributeProto.Types.AttributeType.Float, F = 1.001f });
        var file = OnnxModelFile.FromBytes("scaled.onnx", proto.ToByteArray(), spec);
        var bad = DeployedModelParity.Run(file, images, labels, threads: 2);
        Assert.All(bad.Comparisons.Where(c => c.Output == "logits" && c.Reference != DeployedModelParity.OnnxRuntime),
            c => Assert.False(c.Pass, c.ToString()));
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
        Assert.All(result.Comparisons.Where(c => c.Reference != DeployedModelParity.OnnxRuntime), c => Assert.False(c.Pass));
        Assert.All(result.Comparisons.Where(c => c.Reference == DeployedModelParity.OnnxRuntime), c => Assert.True(c.Pass));
    }
}
