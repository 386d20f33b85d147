using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Scratch;

/// <summary>How the weights are changed after each batch.</summary>
public enum TrainingMode
{
    /// <summary>The notebook's update rule, exactly (<see cref="ScratchNetwork.BookUpdate"/>); not the gradient of any loss.</summary>
    Book,

    /// <summary>Plain SGD on L = Σ_batch CE(softmax(logits), y) / B² with the true gradients (<see cref="ScratchNetwork.CorrectedBackward"/>).</summary>
    Corrected,
}

/// <summary>Which implementation of the network computes a run; both give the same bits (tests/CnnParity.Core.Tests/Fast).</summary>
public enum ScratchEngine
{
    /// <summary>
    /// <see cref="Fast.FastNetwork"/>: vectorised across independent outputs, NumPy's SIMD tanh, all-zero sections
    /// skipped where that changes no bit, no allocation per batch. What a trainer uses unless told otherwise.
    /// </summary>
    Fast,

    /// <summary><see cref="ScratchNetwork"/>: the notebook's expressions one by one, the reference the fast path is held to.</summary>
    Faithful,
}

/// <summary>
/// Everything that defines a run of the chapter-10 CNN. The defaults are the seed notebook's
/// (<see cref="SeedNotebook"/>): 4 kernels, a 26x26 position grid, batch 128, alpha 2, 300 epochs,
/// the first 1000 training images, all 10,000 test images, <c>np.random.seed(1)</c>.
/// </summary>
public sealed record ScratchConfig
{
    /// <summary>Side of an MNIST image (the spec's, <see cref="ArchitectureSpec.ImageSide"/>).</summary>
    public const int ImageSide = ArchitectureSpec.ImageSide;

    /// <summary>Pixels per image.</summary>
    public const int Pixels = ImageSide * ImageSide;

    /// <summary>Side of a kernel (3x3).</summary>
    public const int KernelSide = 3;

    /// <summary>Weights per kernel, KernelSide² = 9 (the notebook's <c>kernel_rows * kernel_cols</c>): the rows of <c>kernels</c>.</summary>
    public const int KernelArea = KernelSide * KernelSide;

    /// <summary><c>num_kernels</c>: 4 in the seed notebook, 16 in the book.</summary>
    public int NumKernels { get; init; } = 4;

    /// <summary>
    /// Positions per side: 26 = <c>range(28-3+1)</c>, every valid position (seed notebook);
    /// 25 = <c>range(28-3)</c>, the book's loop that drops the last row and column.
    /// </summary>
    public int Grid { get; init; } = 26;

    /// <summary><c>batch_size</c>.</summary>
    public int BatchSize { get; init; } = 128;

    /// <summary><c>alpha</c>, the step size of both modes.</summary>
    public double Alpha { get; init; } = 2;

    /// <summary><c>iterations</c>.</summary>
    public int Epochs { get; init; } = 300;

    /// <summary>Training images: the first N of the training set.</summary>
    public int TrainCount { get; init; } = 1000;

    /// <summary>Test images: the first N of the test set (10,000 = all; fewer for quick runs).</summary>
    public int TestCount { get; init; } = 10000;

    /// <summary>The argument of <c>np.random.seed</c>.</summary>
    public uint Seed { get; init; } = 1;

    /// <summary>Book rule (the notebook) or true gradients.</summary>
    public TrainingMode Mode { get; init; } = TrainingMode.Book;

    /// <summary>
    /// The <c>np.exp</c> being mirrored: by default the one NumPy 1.24 runs on this CPU (<see cref="NumPyExpDispatch"/>:
    /// SVML's with AVX512_SKX, as for the goldens, else glibc's).
    /// </summary>
    public NumPyExpKernel Exp { get; init; } = NumPyExpDispatch.Detected.Kernel;

    /// <summary>Threads for independent outputs. Results are identical for every value (each output is one fixed-order sum).</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The implementation that runs the training loop (the numbers are the same either way).</summary>
    public ScratchEngine Engine { get; init; } = ScratchEngine.Fast;

    /// <summary>Test images per batched test call.</summary>
    public int TestChunk { get; init; } = 100;

    /// <summary>The seed notebook: K=4, 26x26.</summary>
    public static ScratchConfig SeedNotebook { get; } = new();

    /// <summary>The book's printed run: K=16, 25x25.</summary>
    public static ScratchConfig Book { get; } = new() { NumKernels = 16, Grid = 25 };

    /// <summary>Positions per image (grid²).</summary>
    public int Positions => Grid * Grid;

    /// <summary><c>hidden_size</c> = positions × kernels; the hidden vector is position-major, kernel-minor.</summary>
    public int Hidden => Positions * NumKernels;

    /// <summary><c>int(len(images) / batch_size)</c>: the remainder images are never trained.</summary>
    public int BatchesPerEpoch => TrainCount / BatchSize;

    /// <summary>Throws a <see cref="CnnParityException"/> naming the first bad setting.</summary>
    public ScratchConfig Validate()
    {
        Check(NumKernels >= 1, $"kernels must be at least 1 (got {NumKernels})");
        Check(Grid is >= 1 and <= ImageSide - KernelSide + 1, $"grid must be 1..26 (got {Grid})");
        Check(BatchSize >= 1, $"batch size must be at least 1 (got {BatchSize})");
        Check(Epochs >= 0, $"epochs must not be negative (got {Epochs})");
        Check(TrainCount >= 1, $"train count must be at least 1 (got {TrainCount})");
        Check(TestCount >= 1, $"test count must be at least 1 (got {TestCount})");
        Check(Threads >= 1, $"threads must be at least 1 (got {Threads})");
        Check(TestChunk >= 1, $"test chunk must be at least 1 (got {TestChunk})");
        Check(double.IsFinite(Alpha), $"alpha must be finite (got {Alpha})");
        return this;

        static void Check(bool ok, string message)
        {
            if (!ok)
            {
                throw new CnnParityException(message);
            }
        }
    }
}
