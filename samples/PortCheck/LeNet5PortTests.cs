using CnnParity.Testing;

namespace PortCheck;

/// <summary>
/// The port against goldens/lenet5.npz, written by PyTorch from pytorch/lenet5.py with
/// reference/torch_golden.py: every layer's output, the loss, every gradient and three SGD steps.
/// </summary>
public class LeNet5PortTests
{
    static readonly string GoldenPath = Path.Combine(AppContext.BaseDirectory, "goldens", "lenet5.npz");

    [Fact]
    public void ThePortMatchesPyTorch()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new LeNet5();
        var result = ModuleParity.Compare(port, golden);
        result.AssertPass(); // on failure: the first layer that differs, and the whole table
    }

    [Fact]
    public void APaddingMistakeIsCaughtAtTheFirstConv()
    {
        using var golden = TorchGolden.Load(GoldenPath);
        using var port = new LeNet5(conv1Padding: 1);
        var result = ModuleParity.Compare(port, golden);
        Assert.Equal("conv1", result.FirstFailure?.Name);
        var e = Assert.Throws<TensorMismatchException>(result.AssertPass);
        Assert.Contains("conv1 (forward) is the first of", e.Message);
    }
}
