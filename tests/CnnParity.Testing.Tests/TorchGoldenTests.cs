using CnnParity.Testing.NumPy;
using PortCheck;
using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>The sample's golden (samples/PortCheck/goldens/lenet5.npz, PyTorch 1.13) against the sample's port.</summary>
public class TorchGoldenTests
{
    static readonly string GoldenPath = Repository.PathOf("samples", "PortCheck", "goldens", "lenet5.npz");
    static readonly string TrainGoldenPath = Repository.PathOf("samples", "PortCheck", "goldens", "convbn-train.npz");

    [Fact]
    public void LoadsEverythingTorchGoldenPyWrote()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        Assert.Equal(10, golden.StateDict.Count);
        Assert.Equal([4, 1, 28, 28], golden.Input.shape);
        Assert.Equal(ScalarType.Int64, golden.Target.dtype);
        Assert.Equal("cross_entropy", golden.LossName);
        Assert.Equal(3, golden.Steps);
        Assert.Equal(0.05, golden.LearningRate);
        Assert.StartsWith("1.13", golden.TorchVersion);
    }

    [Fact]
    public void TheGoodPortPassesForwardGradientsAndThreeSteps()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new LeNet5();
        var result = ModuleParity.Compare(port, golden);
        Assert.True(result.Pass, result.ToMarkdown());
        // 12 outputs, the loss, 10 gradients, then 3 steps of a loss and 10 parameters.
        Assert.Equal(12 + 1 + 10 + 3 * 11, result.Checks.Count);
        Assert.Equal("conv1", result.Checks[0].Name);
        Assert.Equal("step 3", result.Checks[^1].Stage);
    }

    [Fact]
    public void TheGoldenCarriesAFloat64ShadowThatDecidesEveryCheck()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        Assert.True(golden.HasShadow);
        Assert.False(golden.TrainMode);
        using var port = new LeNet5();
        var result = ModuleParity.Compare(port, golden);
        Assert.All(result.Checks, c => Assert.True(c.Truth is { Float64Agrees: true, Blamed: null }, c.Truth?.Reason));
        Assert.Equal(ScalarType.Float32, port.parameters().First().dtype); // converted to float64 for the shadow run and back
    }

    [Fact]
    public void ATrainModeGoldenComparesBatchNormRunningStatisticsAfterEveryStep()
    {
        using var golden = TorchGolden.Load(TrainGoldenPath);
        Assert.True(golden.TrainMode);
        using var port = new ConvBN();
        var result = ModuleParity.Compare(port, golden);
        Assert.True(result.Pass, result.ToMarkdown());
        string[] buffers = ["bn1.running_mean", "bn1.running_var", "bn1.num_batches_tracked"];
        Assert.Equal(buffers, result.Checks.Where(c => c.Stage == "step 3" && buffers.Contains(c.Name)).Select(c => c.Name));
    }

    [Fact]
    public void ABatchNormMomentumOf09IsCaughtAtTheFirstStepsRunningMean()
    {
        using var golden = TorchGolden.Load(TrainGoldenPath);
        using var port = new ConvBN(momentum: 0.9);
        var result = ModuleParity.Compare(port, golden);
        Assert.Equal(("step 1", "bn1.running_mean"), (result.FirstFailure!.Stage, result.FirstFailure.Name));
        Assert.Equal("port", result.FirstFailure.Truth!.Blamed);
    }

    [Fact]
    public void TheBrokenPortFailsFirstAtConv1()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new LeNet5(conv1Padding: 1);
        var result = ModuleParity.Compare(port, golden);
        Assert.Equal(("forward", "conv1"), (result.FirstFailure!.Stage, result.FirstFailure.Name));
        Assert.Equal("shape (4, 6, 26, 26), expected (4, 6, 28, 28)", result.FirstFailure.Problem);
        var e = Assert.Throws<TensorMismatchException>(result.AssertPass);
        Assert.StartsWith("LeNet5 vs PyTorch 1.13.0a0 golden lenet5.npz: conv1 (forward) is the first of ", e.Message);
    }

    [Fact]
    public void LoadIntoNamesEveryMismatchedKey()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var other = nn.Sequential(("conv1", nn.Conv2d(1, 6, 3)), ("fc", nn.Linear(2, 2)));
        var e = Assert.Throws<ArgumentException>(() => golden.LoadInto(other));
        Assert.Contains("'conv1.weight' has shape (6, 1, 3, 3) in the module, (6, 1, 5, 5) in the golden", e.Message);
        Assert.Contains("'fc3.bias' is in the golden but not in the module", e.Message);
        Assert.Contains("'fc.weight' is in the module but not in the golden", e.Message);
    }

    /// <summary>
    /// torch_golden.py run again on this machine's PyTorch must give the committed golden: bitwise for what the
    /// seed alone decides (input, target, initial weights); within assert_close's float32 tolerance for what
    /// PyTorch's CPU kernels compute, which another CPU's instruction set may round differently.
    /// </summary>
    [SkippableFact]
    public void TorchGoldenPyRegeneratesTheCommittedGolden()
    {
        PyTorch.SkipIfMissing();
        string fresh = Path.Combine(Path.GetTempPath(), $"lenet5-{Environment.ProcessId}.npz");
        try
        {
            PyTorch.RunScript(Repository.PathOf("reference", "torch_golden.py"),
                Repository.PathOf("samples", "PortCheck", "pytorch", "lenet5.py") + ":LeNet5",
                "--input-shape", "4,1,28,28", "--classes", "10", "--steps", "3", "--lr", "0.05", "--seed", "0", "--out", fresh);
            var committed = Npz.Load(GoldenPath);
            var regenerated = Npz.Load(fresh);
            Assert.Equal(committed.Keys, regenerated.Keys);
            foreach (var (key, array) in committed)
            {
                Assert.Equal(array.Shape, regenerated[key].Shape);
                bool seeded = key is "input" or "target" || key.StartsWith("state_dict/", StringComparison.Ordinal) || key.StartsWith("meta/", StringComparison.Ordinal);
                if (seeded || array.Descr is not ("<f4" or "<f8"))
                    Assert.True(array.Data.AsSpan().SequenceEqual(regenerated[key].Data), $"{key} differs in its bits");
                else if (array.Descr == "<f8") // the float64 shadow
                    TensorAssert.Close(regenerated[key].ToDoubleArray(), array.ToDoubleArray(), Tolerance.Float64, name: key);
                else
                    TensorAssert.Close(regenerated[key].ToDoubleArrayWidening().Select(v => (float)v).ToArray(),
                        array.ToDoubleArrayWidening().Select(v => (float)v).ToArray(), Tolerance.Float32, name: key);
            }
        }
        finally
        {
            File.Delete(fresh);
        }
    }
}
