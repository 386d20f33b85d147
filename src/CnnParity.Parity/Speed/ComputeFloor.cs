using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;

namespace CnnParity.Parity.Speed;

/// <summary>
/// The time one epoch would take if the sums were the only work and every core ran them at full speed: the yardstick
/// the fast path is measured against ("within 3× of the compute floor"). Tanh, the mask and memory traffic are extra.
/// </summary>
public static class ComputeFloor
{
    /// <summary>
    /// Multiply-adds per second per thread assumed for the floor: 4 float64 lanes, one multiply and one add port each,
    /// at about 2.5 GHz (issue 7: "two cores do roughly 40 G multiply-adds/s").
    /// </summary>
    public const double MultiplyAddsPerSecondPerThread = 20e9;

    /// <summary>
    /// Multiply-adds of one epoch (training batches and test pass) in the dense and convolution sums: per image and
    /// position K·9 for <c>kernel_output</c> and K·10 for the logits; training adds the backward sums
    /// (K·10 for layer_1_delta, K·10 for the weights, K·9 for the kernels).
    /// </summary>
    public static double MultiplyAdds(ScratchConfig config)
    {
        double perPosition = config.NumKernels * (ScratchConfig.KernelArea + ArchitectureSpec.Classes);
        double backward = config.NumKernels * (2 * ArchitectureSpec.Classes + ScratchConfig.KernelArea);
        double trained = (double)config.BatchesPerEpoch * config.BatchSize * config.Positions;
        return trained * (perPosition + backward) + (double)config.TestCount * config.Positions * perPosition;
    }

    /// <summary>Threads the floor counts: the from-scratch threads, at most one per core.</summary>
    public static int Threads(ScratchConfig config) => Math.Min(config.Threads, Environment.ProcessorCount);

    /// <summary>Seconds per epoch at the floor.</summary>
    public static double Seconds(ScratchConfig config) =>
        MultiplyAdds(config) / (MultiplyAddsPerSecondPerThread * Threads(config));
}
