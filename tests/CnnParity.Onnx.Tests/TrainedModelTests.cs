using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.IO;
using CnnParity.Onnx.Export;
using CnnParity.Parity.Deployed;
using Xunit.Abstractions;

namespace CnnParity.Onnx.Tests;

/// <summary>
/// A trained network through the whole deployment path on real MNIST: the engine trains LeNet-5 (one epoch on 4,096 images), the weights go to a
/// file (as `train --save` writes them) and back, the export is scored by ONNX Runtime and ML.NET on all 10,000 test
/// images and proved equal to the from-scratch network and the twin.
/// </summary>
public sealed class TrainedModelTests(ITestOutputHelper output) : IDisposable
{
    readonly string folder = Directory.CreateTempSubdirectory("cnnparity-trained-").FullName;

    [SkippableFact]
    public void TrainedLeNet5SavedExportedAndProvedOnTheWholeTestSet()
    {
        var data = RealData.Load(trainCount: 4096, testCount: 10_000);
        var spec = ArchitectureSpec.Parse("lenet5");
        var trainer = new SpecTrainer(new SpecTrainerOptions(spec) { Epochs = 1, TrainCount = 4096, BatchSize = 32, LearningRate = 0.05, Momentum = 0.9, TestCount = 10 }.Validate(), data);
        trainer.RunEpoch();
        var trained = trainer.CurrentParameters();

        string path = Path.Combine(folder, "lenet5.npz");
        WeightsFile.Save(path, spec, name => trained[name]);
        var loaded = SpecWeights.Load(path, spec);
        foreach (var p in spec.Parameters) Assert.Equal(trained[p.Name], loaded[p.Name]);

        var result = DeployedModelParity.Run(spec, loaded, new ModelProvenance(1, "1 epoch on 4,096 images"), data.TestImages, data.TestLabels, threads: 2);
        foreach (var c in result.Checks)
            foreach (var s in c.Sides) output.WriteLine($"{c.Tensor} {s.Side}: {s.MaxAbs:G3} from the float64 truth, worst {s.Ratio:G3}× its bound");
        foreach (var a in result.Accuracies) output.WriteLine($"{a.Model}: {a.Correct}/{a.Count}");
        Assert.True(result.Pass, string.Join("\n", result.Checks.Select(c => c.FailLine())));
        Assert.All(result.Agreements, a => Assert.Equal(0, a.Flipped));
        // Trained, not initial: far above chance; and every implementation classifies the same images right.
        Assert.True(result.Accuracies[0].Accuracy > 0.5, $"{result.Accuracies[0].Accuracy}");
        Assert.Single(result.Accuracies.Select(a => a.Correct).Distinct());
    }

    public void Dispose() => Directory.Delete(folder, recursive: true);
}
