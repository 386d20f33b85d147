using CnnParity.Testing;
using CnnParity.Parity;
using CnnParity.Parity.Grid;

namespace CnnParity.Onnx.Tests;

/// <summary>
/// Random specs of the grid (1–3 convolutions, every kernel, stride, padding, pool, activation and dropout the grid
/// draws, dense widths) exported, run by ONNX Runtime against the from-scratch engine, and passed by ONNX's checker.
/// </summary>
public sealed class GridSpecTests : IDisposable
{
    const int Specs = 30;
    const ulong Seed = 13;
    readonly string folder = Directory.CreateTempSubdirectory("cnnparity-grid-onnx-").FullName;

    [Fact]
    public void EveryDrawnSpecExportsAndComputesItself()
    {
        for (int i = 0; i < Specs; i++)
        {
            var spec = SpecGrid.Build(SpecGrid.Draw(Seed, i));
            var parameters = TestNetworks.Parameters(spec, (uint)i);
            var bytes = Export.OnnxExporter.Export(spec, n => parameters[n], ModelProvenance.Initial((uint)i));
            const int count = 4;
            var images = TestNetworks.Images(spec, count, (uint)i);
            using var scorer = new Scoring.OnnxRuntimeScorer(bytes, 1, [1, 28, 28]);
            var outputs = scorer.Score(images, count);
            var expected = TestNetworks.EngineLogits(spec, TestNetworks.AsFloat32(parameters), images, count);
            var meter = new DistanceMeter(CnnParity.Testing.Tolerance.Float32, TorchSharp.torch.ScalarType.Float32);
            meter.Add([.. outputs.Logits.Select(v => (double)v)], expected);
            Assert.True(meter.Pass, $"spec {i}: {spec.Text}: {meter.Result}");
        }
    }

    [SkippableFact]
    public void OnnxCheckerAcceptsEveryDrawnSpec()
    {
        PythonOnnx.SkipUnlessInstalled();
        var paths = new List<string>();
        for (int i = 0; i < Specs; i++)
        {
            var spec = SpecGrid.Build(SpecGrid.Draw(Seed, i));
            var parameters = TestNetworks.Parameters(spec, (uint)i);
            string path = Path.Combine(folder, $"spec{i}.onnx");
            File.WriteAllBytes(path, Export.OnnxExporter.Export(spec, n => parameters[n], ModelProvenance.Initial((uint)i)));
            paths.Add(path);
        }
        var (code, output) = PythonOnnx.Check([.. paths]);
        Assert.True(code == 0, output);
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
