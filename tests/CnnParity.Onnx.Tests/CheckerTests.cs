namespace CnnParity.Onnx.Tests;

/// <summary>The exported files pass ONNX's own checker, and the checker is sharp enough to refuse a broken one.</summary>
public class CheckerTests : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("cnnparity-onnx-").FullName;

    [SkippableTheory]
    [MemberData(nameof(ExportTests.Specs), MemberType = typeof(ExportTests))]
    public void OnnxCheckerAcceptsTheExport(string text)
    {
        PythonOnnx.SkipUnlessInstalled();
        string path = Path.Combine(folder, "m.onnx");
        File.WriteAllBytes(path, new Model(text).Bytes);
        var (code, output) = PythonOnnx.Check(path);
        Assert.True(code == 0, output);
    }

    [SkippableFact]
    public void OnnxCheckerRefusesAGraphThatReadsAMissingTensor()
    {
        PythonOnnx.SkipUnlessInstalled();
        var proto = global::Onnx.ModelProto.Parser.ParseFrom(new Model("lenet5").Bytes);
        proto.Graph.Initializer.RemoveAt(0); // conv1.weight: the Conv node now reads a tensor nobody defines
        string path = Path.Combine(folder, "broken.onnx");
        File.WriteAllBytes(path, Google.Protobuf.MessageExtensions.ToByteArray(proto));
        Assert.NotEqual(0, PythonOnnx.Check(path).Code);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
