using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests;

/// <summary>TorchSharp's natives load here (Debian 12 needs the GLIBCXX patch) and compute in float64.</summary>
public class TorchLoadingTests
{
    [Fact]
    public void Float64Conv2dRunsForwardAndBackward()
    {
        using var scope = NewDisposeScope();
        var conv = nn.Conv2d(1, 2, 3, bias: false, dtype: float64);
        var x = ones(1, 1, 4, 4, dtype: float64);
        var y = conv.forward(x);
        Assert.Equal(new long[] { 1, 2, 2, 2 }, y.shape);
        y.sum().backward();
        var grad = conv.weight!.grad!;
        // d(sum of all outputs)/d(weight) = number of positions each weight touches with input 1.
        Assert.All(grad.data<double>().ToArray(), g => Assert.Equal(4.0, g));
    }
}
