using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Parity.Speed;

namespace CnnParity.Torch.Tests;

/// <summary>The compute floor's arithmetic, counted by hand for the book's network; never a time.</summary>
public sealed class ComputeFloorTests
{
    [Fact]
    public void BookNetworkEpochIsCountedSumBySum()
    {
        var config = new ScratchConfig { Kernels = 16, Grid = 25, Threads = 1 };
        // Test pass: 10,000 images x 625 positions x (16 kernels x 9 pixels + 16 hidden x 10 classes).
        double test = 10_000.0 * 625 * (16 * 9 + 16 * 10);
        // Training: 7 x 128 images x 625 positions x (forward 16 x 19 + layer_1_delta 16 x 10 + weights 16 x 10 + kernels 16 x 9).
        double train = 7.0 * 128 * 625 * (16 * 19 + 16 * 10 + 16 * 10 + 16 * 9);
        Assert.Equal(test + train, ComputeFloor.MultiplyAdds(config));
        Assert.Equal(2.33008e9, ComputeFloor.MultiplyAdds(config));
    }

    [Fact]
    public void TheFloorIsTheEpochsSumsAtTheMeasuredRateOnEveryThread()
    {
        var config = new ScratchConfig { Kernels = 16, Grid = 25, Threads = 2 };
        var rate = new MultiplyAddRate(40e9, VectorWidth.Bits512, 2);
        Assert.Equal(2.33008e9 / (40e9 * 2), ComputeFloor.Seconds(config, rate), 15);
        Assert.Equal(2 * ComputeFloor.Seconds(config, rate), ComputeFloor.Seconds(config, rate with { Threads = 1 }), 15);
    }

    [Fact]
    public void TheFloorCountsTheThreadsButNotBeyondTheCores()
    {
        var many = new ScratchConfig { Kernels = 4, Threads = Environment.ProcessorCount + 3 };
        Assert.Equal(Environment.ProcessorCount, ComputeFloor.Threads(many));
        Assert.Equal(1, ComputeFloor.Threads(many with { Threads = 1 }));
    }
}
