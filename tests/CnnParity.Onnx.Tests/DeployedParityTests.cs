using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Onnx.Export;
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
