using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;

namespace CnnParity.Parity.Speed;

/// <summary>
/// The time one epoch would take if the sums were the only work and every thread ran them at this machine's measured
/// peak (<see cref="MultiplyAddPeak"/>): the yardstick the fast path is measured against ("within 3× of the compute
/// floor"). Tanh, the mask and memory traffic are extra.
/// </summary>
public static class ComputeFloor
{
    /// <summary>
    /// Multiply-adds of one epoch (training batches and test pass) in the dense and convolution sums: per image and
    /// position K·9 for <c>kernel_output</c> and K·10 for the logits; training adds the backward sums
    /// (K·10 for layer_1_delta, K·10 for the weights, K·9 for the kernels).
    /// </summary>
    public static double MultiplyAdds(ScratchConfig config)
    {
        double perPosition = config.Kernels * (ScratchConfig.KernelSize + ScratchConfig.Labels);
        double backward = config.Kernels * (2 * ScratchConfig.Labels + ScratchConfig.KernelSize);
        double trained = (double)config.BatchesPerEpoch * config.BatchSize * config.Positions;
        return trained * (perPosition + backward) + (double)config.TestCount * config.Positions * perPosition;
    }

    /// <summary>Threads the floor counts: the from-scratch threads, at most one per core.</summary>
    public static int Threads(ScratchConfig config) => Math.Min(config.Threads, Environment.ProcessorCount);

    /// <summary>Seconds per epoch at the floor: the epoch's multiply-adds at <paramref name="rate"/> on each of its threads.</summary>
    public static double Seconds(ScratchConfig config, MultiplyAddRate rate) => MultiplyAdds(config) / (rate.PerSecondPerThread * rate.Threads);

    /// <summary>
    /// Measures the peak rate on the floor's threads at the fast path's vector width: a fraction of a second, run just
    /// before the epochs it is compared with.
    /// </summary>
    public static MultiplyAddRate Calibrate(ScratchConfig config) => MultiplyAddPeak.Measure(Threads(config));
}
