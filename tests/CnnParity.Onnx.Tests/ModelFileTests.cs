using CnnParity.Core;
using CnnParity.Core.Architecture;

namespace CnnParity.Onnx.Tests;

/// <summary>The reader takes every exported spec and refuses each bad file with one line.</summary>
public class ModelFileTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Theory]
    [MemberData(nameof(ExportTests.Specs), MemberType = typeof(ExportTests))]
    public void AnExportIsReadBackWithItsParameters(string text)
    {
        var model = new Model(text);
        var file = OnnxModelFile.FromBytes("m.onnx", model.Bytes, model.Spec);
        Assert.Equal(OnnxFormat.Opset, file.Opset);
        foreach (var p in model.Spec.Parameters)
            Assert.Equal(TestNetworks.AsFloat32(model.Parameters)[p.Name], file.Parameter(p.Name));
    }

    public static TheoryData<string> BadCases => new(BadModelFiles.All().Select(c => c.Case));

    [Theory]
    [MemberData(nameof(BadCases))]
    public void ABadFileIsOneLine(string name)
    {
        var bad = BadModelFiles.All().Single(c => c.Case == name);
        var e = Assert.Throws<CnnParityException>(() => OnnxModelFile.FromBytes("bad.onnx", bad.Bytes, SpecSource.Read(bad.Arch)));
        output.WriteLine(e.Message);
        Assert.StartsWith("ONNX model 'bad.onnx': ", e.Message);
        Assert.Contains(bad.Message, e.Message);
        Assert.DoesNotContain('\n', e.Message);
        Assert.Equal(2, e.ExitCode);
    }
}
