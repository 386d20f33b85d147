using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
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
        double perPosition = config.NumKernels * (ScratchConfig.KernelArea + ArchitectureSpec.Classes);
        double backward = config.NumKernels * (2 * ArchitectureSpec.Classes + ScratchConfig.KernelArea);
        double trained = (double)config.BatchesPerEpoch * config.BatchSize * config.Positions;
        return trained * (perPosition + backward) + (double)config.TestCount * config.Positions * perPosition;
    }

    /// <summary>
    /// Multiply-adds of one epoch of a run: the chapter-10 network's counted position by position as its engine computes
    /// them (<see cref="MultiplyAdds(ScratchConfig)"/>: the book's grid, not the full convolution the spec names); any other
    /// spec's counted from its layers (<see cref="MultiplyAdds(ArchitectureSpec, long, long)"/>).
    /// </summary>
    public static double MultiplyAdds(SpecTrainerOptions options) => options.Spec.IsChapter10
        ? MultiplyAdds(Chapter10Engine.Config(options, TrainingMode.Book))
        : MultiplyAdds(options.Spec, (long)options.BatchesPerEpoch * options.BatchSize, options.TestCount);

    /// <summary>
    /// Multiply-adds of one epoch of a spec's from-scratch engine (<paramref name="trained"/> images trained, then a test
    /// pass of <paramref name="tested"/>), counted from the spec: each convolution's and dense layer's forward sums
    /// (<see cref="ArchitectureSpec.MultiplyAdds"/>); training adds the backward's two products of the same size, the
    /// weights' gradient and the input's, except the input gradient of the spec's first layer, which nothing needs (the
    /// engine skips it).
    /// Activations, pooling, the loss and the SGD step are not sums of products and are left out.
    /// </summary>
    public static double MultiplyAdds(ArchitectureSpec spec, long trained, long tested)
    {
        double forward = spec.MultiplyAdds;
        double inputGradients = spec.Layers.Skip(1).Sum(l => (double)l.MultiplyAdds);
        return trained * (forward + forward + inputGradients) + tested * forward;
    }

    /// <summary>What <see cref="MultiplyAdds(SpecTrainerOptions)"/> counts and leaves out, in a reader's words.</summary>
    public static string Counted(ArchitectureSpec spec) => spec.IsChapter10
        ? "The sums only: tanh, the dropout mask and memory traffic come on top."
        : "The sums of the convolutions and dense layers only, counted from the spec (forward; in training also the backward's " +
          "weight and input gradients, none for the first layer's input): activations, pooling, the loss, the SGD step and " +
          "memory traffic come on top. The rate is of float64 lanes, the float64 engine's floor; a float32 vector holds twice the lanes.";

    /// <summary>Threads the floor counts for <paramref name="threads"/> from-scratch threads: at most one per core.</summary>
    public static int Threads(int threads) => Math.Min(threads, Environment.ProcessorCount);

    /// <summary>Seconds at the floor for <paramref name="multiplyAdds"/> at <paramref name="rate"/> on each of its threads.</summary>
    public static double Seconds(double multiplyAdds, MultiplyAddRate rate) => multiplyAdds / (rate.PerSecondPerThread * rate.Threads);

    /// <summary>
    /// The peak rate on <paramref name="threads"/> from-scratch threads (at most one per core), at the fast path's vector
    /// width: a fraction of a second, run just before the epochs it is compared with.
    /// </summary>
    public static MultiplyAddRate Calibrate(int threads) => MultiplyAddPeak.Measure(Threads(threads));
}
