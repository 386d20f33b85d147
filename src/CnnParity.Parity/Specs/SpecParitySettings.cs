using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Parity.Specs;

/// <summary>
/// What a parity run of one spec does: the seed of the initial weights and masks (np.random.seed), the first
/// training batch the forward and gradient checks use, the test images checked without dropout, how many entries of
/// each parameter tensor the finite differences probe, and the lockstep run (0 epochs: none, as in the grid).
/// </summary>
/// <param name="LearningRateDecay">the lockstep run's ExponentialLR γ per epoch (1: a constant rate)</param>
/// <param name="Exp">the np.exp the float64 engine mirrors (softmax, sigmoid)</param>
/// <param name="Shuffle">the lockstep run reshuffles its training images every epoch (<see cref="Core.Engines.SpecTrainerOptions.Shuffle"/>)</param>
public sealed record SpecParitySettings(
    uint Seed,
    int Batch,
    int TestCount,
    int FiniteDifferenceSample,
    int Threads,
    int LockstepEpochs = 0,
    int TrainCount = 0,
    double LearningRate = 0.05,
    double Momentum = 0.9,
    Dtype LockstepDtype = Dtype.Float64,
    NumPyExpKernel Exp = NumPyExpKernel.Svml,
    bool Shuffle = false,
    double LearningRateDecay = 1)
{
    /// <summary>Entries of each parameter tensor probed by finite differences for one spec given by --arch (parity, report).</summary>
    public const int ArchFiniteDifferenceSample = 16;

    /// <summary>The lockstep run's optimizer (torch.optim.SGD without weight decay unless set): SGD, Adam or AdamW.</summary>
    public OptimizerSettings Optimizer { get; init; } = OptimizerSettings.Sgd;

    /// <summary>
    /// The same for ch10: every kernel weight (9·K of them, at most 144 in the book's configuration) and 200 entries of
    /// the dense weight, as its checks always probed.
    /// </summary>
    public const int Chapter10FiniteDifferenceSample = 200;

    /// <summary>Entries of each parameter tensor probed by finite differences for <paramref name="spec"/> given by --arch.</summary>
    public static int FiniteDifferenceSampleFor(Core.Architecture.ArchitectureSpec spec) =>
        spec.IsChapter10 ? Chapter10FiniteDifferenceSample : ArchFiniteDifferenceSample;

    /// <summary>
    /// The checks of one run as <c>parity</c> and <c>report</c> make them: the run's seed, first batch, test images, SGD
    /// and lockstep dtype (<see cref="SpecTrainerOptions.Dtype"/>), its epochs as the lockstep run, and the finite-difference
    /// sample for its spec (<see cref="FiniteDifferenceSampleFor"/>).
    /// </summary>
    public static SpecParitySettings Of(SpecTrainerOptions t) => new(t.Seed, t.BatchSize, t.TestCount, FiniteDifferenceSampleFor(t.Spec), t.Threads,
        t.Epochs, t.TrainCount, t.LearningRate, t.Momentum, t.Dtype, t.Exp, t.Shuffle, t.LearningRateDecay) { Optimizer = t.Optimizer };

    /// <summary>The grid's settings: small enough for hundreds of specs in minutes, large enough to exercise every layer.</summary>
    public static SpecParitySettings Grid(uint seed, int threads) => new(seed, Batch: 8, TestCount: 100, FiniteDifferenceSample: 8, threads);
}
