using CnnParity.Core.Scratch;
using CnnParity.Parity.Speed;

namespace CnnParity.Parity.Tests;

/// <summary>The compute floor's arithmetic, counted by hand for the book's network.</summary>
public sealed class ComputeFloorTests
{
    [Fact]
    public void BookNetworkEpochIsCountedSumBySum()
    {
        var config = new ScratchConfig { NumKernels = 16, Grid = 25, Threads = 1 };
        // Test pass: 10,000 images x 625 positions x (16 kernels x 9 pixels + 16 hidden x 10 classes).
        double test = 10_000.0 * 625 * (16 * 9 + 16 * 10);
        // Training: 7 x 128 images x 625 positions x (forward 16 x 19 + layer_1_delta 16 x 10 + weights 16 x 10 + kernels 16 x 9).
        double train = 7.0 * 128 * 625 * (16 * 19 + 16 * 10 + 16 * 10 + 16 * 9);
        Assert.Equal(test + train, ComputeFloor.MultiplyAdds(config));
        Assert.Equal(2.33008e9, ComputeFloor.MultiplyAdds(config));
        Assert.Equal((test + train) / 20e9, ComputeFloor.Seconds(config), 15);
    }

    [Fact]
    public void FloorShrinksWithThreadsButNotBeyondTheCores()
    {
        var one = new ScratchConfig { NumKernels = 4, Threads = 1 };
        var many = one with { Threads = Environment.ProcessorCount + 3 };
        Assert.Equal(Environment.ProcessorCount, ComputeFloor.Threads(many));
        Assert.Equal(ComputeFloor.Seconds(one) / Environment.ProcessorCount, ComputeFloor.Seconds(many), 15);
    }
}
