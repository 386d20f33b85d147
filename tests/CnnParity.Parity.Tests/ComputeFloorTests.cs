using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Parity.Speed;

namespace CnnParity.Parity.Tests;

/// <summary>The compute floor's arithmetic, counted by hand for the book's network; never a time.</summary>
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
        // The run of the ch10 spec counts the notebook's positions (25x25), not the full convolution its conv1 names.
        var book = new SpecTrainerOptions(ArchitectureSpec.Chapter10(16, 25)) { LearningRate = 2, TrainCount = 1000, BatchSize = 128, TestCount = 10_000 };
        Assert.Equal(2.33008e9, ComputeFloor.MultiplyAdds(book));
    }

    [Fact]
    public void TheFloorIsTheEpochsSumsAtTheMeasuredRateOnEveryThread()
    {
        double epoch = ComputeFloor.MultiplyAdds(new ScratchConfig { NumKernels = 16, Grid = 25, Threads = 2 });
        var rate = new MultiplyAddRate(40e9, VectorWidth.Bits512, 2);
        Assert.Equal(2.33008e9 / (40e9 * 2), ComputeFloor.Seconds(epoch, rate), 15);
        Assert.Equal(2 * ComputeFloor.Seconds(epoch, rate), ComputeFloor.Seconds(epoch, rate with { Threads = 1 }), 15);
    }

    [Fact]
    public void TheFloorCountsTheThreadsButNotBeyondTheCores()
    {
        Assert.Equal(Environment.ProcessorCount, ComputeFloor.Threads(Environment.ProcessorCount + 3));
        Assert.Equal(1, ComputeFloor.Threads(1));
    }

    /// <summary>LeNet-5's epoch, counted layer by layer from its shapes (the spec goal's 60,000 training images).</summary>
    [Fact]
    public void ASpecsEpochIsCountedFromItsLayers()
    {
        var lenet5 = CnnParity.Core.Architecture.ArchitectureSpec.Parse("lenet5");
        // Forward per image: conv1 6x28x28 outputs x 1x5x5 taps, conv2 16x10x10 x 6x5x5, dense 400x120, 120x84, 84x10.
        double conv1 = 6 * 28 * 28 * 25, conv2 = 16 * 10 * 10 * 150, dense = 400 * 120 + 120 * 84 + 84 * 10;
        double forward = conv1 + conv2 + dense;
        Assert.Equal(416_520, forward);
        // Training: forward, the weights' gradients (as many), the inputs' gradients of every layer but the first.
        double trained = forward + forward + (conv2 + dense);
        Assert.Equal(60_000 * trained + 10_000 * forward, ComputeFloor.MultiplyAdds(lenet5, 60_000, 10_000));
        Assert.Equal(72_082_800_000, ComputeFloor.MultiplyAdds(lenet5, 60_000, 10_000));
        // Layers without sums (activations, pools, flatten) add nothing, and a layer before the first convolution still
        // counts that convolution's input gradient (the engine skips the input gradient of layer 1 only).
        var pooledFirst = CnnParity.Core.Architecture.ArchitectureSpec.Parse("maxpool(k=2) conv(c=2,k=3) flatten dense(10)");
        double f = 2 * 12 * 12 * 9 + 288 * 10;
        Assert.Equal(f + f + f, ComputeFloor.MultiplyAdds(pooledFirst, 1, 0));
    }

    [Fact]
    public void ASpecsFloorIsItsSumsAtTheMeasuredRateOnEveryThread()
    {
        var rate = new MultiplyAddRate(40e9, VectorWidth.Bits512, 2);
        Assert.Equal(72e9 / 80e9, ComputeFloor.Seconds(72e9, rate), 15);
        Assert.Equal(Environment.ProcessorCount, ComputeFloor.Threads(Environment.ProcessorCount + 3));
    }
}
