using CnnParity.Testing;

namespace PortCheck;

/// <summary>
/// The batch-norm port against goldens/convbn-train.npz, written with <c>torch_golden.py --train-mode</c>: three SGD
/// steps in train() (dropout off), so batch norm normalises with each batch's statistics and its running_mean,
/// running_var and num_batches_tracked are compared after every step.
/// </summary>
public class ConvBNTrainModeTests
{
    static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "goldens", "convbn-train.npz");

    [Fact]
    public void ThePortMatchesPyTorchInTrainMode()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new ConvBN();
        ModuleParity.Compare(port, golden).AssertPass();
    }

    [Fact]
    public void AMomentumOf09InsteadOf01IsCaughtInTheRunningMean()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new ConvBN(momentum: 0.9);
        var result = ModuleParity.Compare(port, golden);
        // Outputs and gradients use the batch's statistics and still match; the running statistics do not.
        Assert.Equal(("step 1", "bn1.running_mean"), (result.FirstFailure?.Stage, result.FirstFailure?.Name));
        Assert.Equal("port", result.FirstFailure?.Truth?.Blamed);
    }

    [Fact]
    public void TheGoldenWriterComesWithThePackage()
    {
        Assert.EndsWith("torch_golden.py", TorchGolden.WriterScript);
        Assert.Contains("--train-mode", File.ReadAllText(TorchGolden.WriterScript));
    }
}
