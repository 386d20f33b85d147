using CnnParity.Testing;
using CnnParity.Parity;
using Xunit.Abstractions;

namespace CnnParity.Onnx.Tests;

/// <summary>Every layer kind exported and run in ONNX Runtime, against the from-scratch engine.</summary>
public class ExportTests(ITestOutputHelper output)
{
    /// <summary>Between them: conv with and without bias, stride, padding; maxpool; avgpool (stride ≠ kernel); tanh; relu;
    /// sigmoid; relu6 (Clip); gap (GlobalAveragePool); grouped and depthwise conv; dropout; flatten; dense with and without bias; the ch10 crop.</summary>
    public static TheoryData<string> Specs => new()
    {
        "conv(c=3,k=3) tanh flatten dense(10)",
        "conv(c=4,k=5,s=2,p=2,bias=false) relu maxpool(k=2) flatten dense(16) sigmoid dense(10)",
        "conv(c=2,k=3,p=1) sigmoid avgpool(k=3,s=2) dropout(p=0.3) conv(c=5,k=2,s=3,p=3) relu flatten dense(12,bias=false) tanh dropout(p=0.5) dense(10,bias=false)",
        "lenet5",
        "lenet5-relu",
        "ch10",
        "conv(c=4,k=3) relu6 maxpool(k=2) flatten dense(16) relu6 dense(10)",
        "conv(c=4,k=3,s=2) tanh conv(c=8,k=3) relu gap flatten dense(10)",
        "conv(c=4,k=3,s=2) tanh conv(c=8,k=3,g=2) relu conv(c=8,k=3,p=1,g=8,bias=false) flatten dense(10)",
    };

    [Theory]
    [MemberData(nameof(Specs))]
    public void OnnxRuntimeComputesTheSpec(string text)
    {
        var model = new Model(text);
        const int count = 20;
        var images = TestNetworks.Images(model.Spec, count, 5);
        var outputs = model.Score(images, count);
        // The from-scratch engine in float64 on the float32-rounded weights: what remains is ONNX Runtime's float32 arithmetic.
        var expected = TestNetworks.EngineLogits(model.Spec, TestNetworks.AsFloat32(model.Parameters), images, count);
        var meter = new DistanceMeter(CnnParity.Testing.Tolerance.Float32, TorchSharp.torch.ScalarType.Float32);
        meter.Add([.. outputs.Logits.Select(v => (double)v)], expected);
        Assert.True(meter.Pass, $"{meter.Result}");
        output.WriteLine($"{text}: {meter.Result}");
    }
}
