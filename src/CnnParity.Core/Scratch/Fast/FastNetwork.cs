using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.NumPy.Simd;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Scratch.Fast;

/// <summary>
/// The chapter-10 CNN of <see cref="ScratchNetwork"/>, computed fast and bit for bit the same: it trains the same
/// weight arrays (<see cref="Network"/>) and every tensor it produces has the faithful path's bits.
/// <para>
/// Why the bits stay equal. (1) Every sum is NumPy's: it starts at 0.0 and adds one rounded product at a time in
/// NumPy's order; SIMD lanes hold different outputs (other kernels, classes, hidden units), never parts of one sum,
/// and no multiply-add is fused. (2) <c>np.tanh</c> is NumPy's own SIMD kernel (<see cref="SimdTanh"/>), whose lanes
/// are independent. (3) A term that is ±0 times a finite number is left out: an all-zero 3x3 section
/// (about 65% of MNIST's) gives <c>kernel_output</c> +0, tanh +0, <c>layer_1</c> +0, and adding ±0 to a sum that
/// started at +0.0 changes no bit. The finiteness this needs is checked once per pass; when it fails, every term is
/// computed. (4) Threads take whole outputs (chunks of images, of positions, groups of kernels, handed to whichever
/// thread is free), never part of a sum, so neither the thread count nor the schedule changes a bit. (5) The vector
/// width (<see cref="VectorWidth"/>: eight lanes with AVX-512, else four) only sets how many such outputs run side by
/// side, so it changes no bit either.
/// </para>
/// <para>
/// What costs what: per listed position and kernel, 9 multiply-adds for <c>kernel_output</c>, 16 fused multiply-adds
/// for tanh and 10 multiply-adds for the logits; the backward pass reads the weights transposed and sums the weights'
/// update position by position over the images that add to it.
/// </para>
/// <para>
/// Not thread-safe: one caller at a time, as with <see cref="ScratchNetwork"/>. A batch allocates nothing.
/// </para>
/// </summary>
public sealed unsafe partial class FastNetwork
{
    private const int L = ArchitectureSpec.Classes;

    private readonly WorkerTeam _team;
    private readonly int[] _allPositions;
    private readonly double[] _weightsT;       // the backward pass's transposed weights (10 × hidden)
    private readonly double[][] _workspace;          // per part: two images' layer_1 values (2 × positions × K)
    private readonly int[][] _workspacePositions;  // per part: two images' position lists
    private readonly ForwardJob _forward;
    private readonly BackwardJob _backward;
    private readonly KernelsJob _kernels;
    private readonly TestJob _test;
    private double[] _testLogits = [];

    /// <summary>A fast path over <paramref name="network"/>'s weights, at this machine's vector width.</summary>
    public FastNetwork(ScratchNetwork network) : this(network, VectorWidths.Native)
    {
    }

    /// <summary>At a width of the caller's choosing: tests run both widths on any CPU (see <see cref="VectorWidth"/>).</summary>
    internal FastNetwork(ScratchNetwork network, VectorWidth width)
    {
        Network = network;
        Width = width;
        ScratchConfig config = network.Config;
        _team = new WorkerTeam(config.Threads);
        _allPositions = FastBatch.Pinned<int>(config.Positions);
        _weightsT = FastBatch.Pinned<double>(config.Hidden * L);
        fixed (int* all = _allPositions)
        {
            Sections.All(config.Positions, all);
        }
        _workspace = new double[config.Threads][];
        _workspacePositions = new int[config.Threads][];
        for (int i = 0; i < config.Threads; i++)
        {
            _workspace[i] = FastBatch.Pinned<double>(2 * config.Hidden);
            _workspacePositions[i] = FastBatch.Pinned<int>(2 * config.Positions);
        }
        _forward = new ForwardJob(this);
        _backward = new BackwardJob();
        _kernels = new KernelsJob();
        _test = new TestJob(this);
    }

    /// <summary>A fast path over new weights drawn as <see cref="ScratchNetwork.Initialize"/> draws them.</summary>
    public static FastNetwork Initialize(ScratchConfig config, NumPyRandomState random) => new(ScratchNetwork.Initialize(config, random));

    /// <summary>The same at a width of the caller's choosing.</summary>
    internal static FastNetwork Initialize(ScratchConfig config, NumPyRandomState random, VectorWidth width) =>
        new(ScratchNetwork.Initialize(config, random), width);

    /// <summary>How many outputs a vector computes side by side.</summary>
    public VectorWidth Width { get; }

    /// <summary>The weights being trained (shared, not copied).</summary>
    public ScratchNetwork Network { get; }

    public ScratchConfig Config => Network.Config;

    /// <summary>
    /// Forward pass of a training batch, as <see cref="ScratchNetwork.Forward(BatchState, ReadOnlySpan{double}, NumPyRandomState)"/>:
    /// the dropout mask is drawn from <paramref name="random"/> first (the same draws in the same order).
    /// </summary>
    public void Forward(FastBatch batch, ReadOnlySpan<double> images, NumPyRandomState random)
    {
        Check(batch);
        DropoutMask.Draw(random, batch.Mask);
        RunForward(batch, images);
    }

    /// <summary>Forward pass with a given 0/1 dropout mask (B × hidden), e.g. one replayed from NumPy.</summary>
    public void Forward(FastBatch batch, ReadOnlySpan<double> images, ReadOnlySpan<double> dropoutMask)
    {
        Check(batch);
        DropoutMask.FromDoubles(dropoutMask[..batch.Mask.Length], batch.Mask);
        RunForward(batch, images);
    }

    private void RunForward(FastBatch batch, ReadOnlySpan<double> images)
    {
        images[..batch.Layer0.Length].CopyTo(batch.Layer0);
        fixed (double* kernels = Network.Kernels, weights = Network.WeightsOneTwo)
        {
            var job = _forward;
            job.Batch = batch;
            job.Kernels = kernels;
            job.Weights = weights;
            job.Skip = Finite.All(kernels, Network.Kernels.Length) && Finite.All(weights, Network.WeightsOneTwo.Length);
            job.StoreTanh = batch.AllTensors || Config.Mode == TrainingMode.Corrected;
            batch.Layer1Whole = job.StoreTanh || !job.Skip;
            job.Images.Reset(batch.BatchSize, ChunkSize(batch.BatchSize, 4));
            _team.Run(job, batch.BatchSize);
            job.Batch = null;
        }
        ScratchNetwork.Softmax(batch.Logits, batch.Layer2, batch.BatchSize, Config.Exp);
    }

    /// <summary>How many rows of the batch's <c>layer_2</c> have their first maximum at the true label.</summary>
    public static int CountCorrect(FastBatch batch, ReadOnlySpan<byte> labels) => Predictions.CountCorrect(batch.Layer2, labels);

    /// <summary>The notebook's update after a forward pass, exactly as <see cref="ScratchNetwork.BookUpdate"/> makes it.</summary>
    public void BookUpdate(FastBatch batch, ReadOnlySpan<double> oneHotLabels)
    {
        Check(batch);
        int b = batch.BatchSize;
        ScratchNetwork.BookOutputDelta(batch.Layer2, oneHotLabels, batch.Layer2Delta, b);
        fixed (double* weights = Network.WeightsOneTwo)
        fixed (double* d = batch.Layer2Delta, l1d = batch.Layer1Delta, update = batch.WeightsUpdate, ku = batch.KernelsUpdate)
        {
            // |delta| <= 1 and bounded weights make every layer_1_delta finite: only then may rows of all-zero
            // sections be left out of k_update (their terms are ±0 times that delta).
            bool finite = Finite.AllWithin(d, b * L, 1.0) && Finite.AllWithin(weights, Network.WeightsOneTwo.Length, Finite.WeightBound);
            batch.IndexImages();
            if (!finite && !batch.Layer1Whole)
            {
                batch.ZeroUnlisted(batch.Layer1); // every unit's terms are summed below
            }
            BackwardSlice.Pass pass = Pass(batch, weights, d, l1d, update);
            pass.AllRows = batch.AllTensors || !finite;
            pass.AllTerms = !finite;
            _backward.Run(_team, pass, Width);
            _kernels.Run(_team, this, batch, l1d, ku, skipRows: finite);
        }
        ScratchNetwork.StepKernels(Network.Kernels, batch.KernelsUpdate, Config.Alpha);
    }

    /// <summary>
    /// True gradients after a forward pass, as <see cref="ScratchNetwork.CorrectedBackward"/> computes them; the
    /// weights are not changed. Returns the batch's own <see cref="FastBatch.Gradients"/>, overwritten by the next call.
    /// </summary>
    public CorrectedGradients CorrectedBackward(FastBatch batch, ReadOnlySpan<double> oneHotLabels)
    {
        Check(batch);
        if (Config.Mode != TrainingMode.Corrected && !batch.AllTensors)
        {
            throw new InvalidOperationException("corrected gradients need the tanh of the forward pass: use Mode = Corrected or AllTensors");
        }
        int b = batch.BatchSize;
        CorrectedGradients g = batch.Gradients;
        g.Loss = ScratchNetwork.CorrectedOutputGradient(batch.Layer2, oneHotLabels, g.DLogits, b);
        fixed (double* weights = Network.WeightsOneTwo)
        fixed (double* dLogits = g.DLogits, dLayer1 = g.DLayer1, dKernelOutput = g.DKernelOutput, dWeights = g.DWeights, dKernels = g.DKernels)
        {
            bool finite = Finite.AllWithin(dLogits, b * L, 1.0) && Finite.AllWithin(weights, Network.WeightsOneTwo.Length, Finite.WeightBound);
            batch.IndexImages();
            BackwardSlice.Pass pass = Pass(batch, weights, dLogits, dKernelOutput, dWeights);
            pass.DLayer1 = dLayer1;
            pass.Corrected = true;
            pass.AllRows = true;
            pass.AllTerms = !finite;
            _backward.Run(_team, pass, Width);
            _kernels.Run(_team, this, batch, dKernelOutput, dKernels, skipRows: finite);
        }
        return g;
    }

    /// <summary>One SGD step: <c>W -= alpha * dW</c>, <c>kernels -= alpha * dK</c>.</summary>
    public void ApplyCorrected(CorrectedGradients g) => Network.ApplyCorrected(g);

    private BackwardSlice.Pass Pass(FastBatch batch, double* weights, double* delta, double* layer1Delta, double* product) => new()
    {
        Weights = weights,
        WeightsT = FastBatch.Address(_weightsT),
        Layer1 = FastBatch.Address(batch.Layer1),
        Layer1Tanh = FastBatch.Address(batch.Layer1Tanh),
        Mask = FastBatch.Address(batch.Mask),
        Lists = FastBatch.Address(batch.Positions),
        Counts = FastBatch.Address(batch.Counts),
        All = FastBatch.Address(_allPositions),
        Images = FastBatch.Address(batch.ImagesByPosition),
        ImageStarts = FastBatch.Address(batch.ImageStarts),
        AllImages = FastBatch.Address(batch.AllImages),
        Delta = delta,
        Layer1Delta = layer1Delta,
        Product = product,
        Batch = batch.BatchSize,
        Hidden = Config.Hidden,
        NumKernels = Config.NumKernels,
        Positions = Config.Positions,
        Alpha = Config.Alpha,
    };

    /// <summary>
    /// Copies a batch's tensors into a <see cref="BatchState"/> (and fills <c>flattened_input</c>), to compare them
    /// with the faithful path's. The batch must have run with <see cref="FastBatch.AllTensors"/>.
    /// </summary>
    public void Export(FastBatch batch, BatchState state)
    {
        if (!batch.AllTensors)
        {
            throw new InvalidOperationException("export needs a batch run with AllTensors = true");
        }
        if (state.BatchSize != batch.BatchSize || state.Config.Hidden != Config.Hidden)
        {
            throw new ArgumentException("the batch state does not fit this batch", nameof(state));
        }
        batch.Layer0.CopyTo(state.Layer0, 0);
        Im2Col.Expand(batch.Layer0, batch.BatchSize, Config.Grid, state.FlattenedInput);
        batch.KernelOutput.CopyTo(state.KernelOutput, 0);
        batch.Layer1Tanh.CopyTo(state.Layer1Tanh, 0);
        for (int i = 0; i < batch.Mask.Length; i++)
        {
            state.DropoutMask[i] = batch.Mask[i];
        }
        batch.Layer1.CopyTo(state.Layer1, 0);
        batch.Logits.CopyTo(state.Logits, 0);
        batch.Layer2.CopyTo(state.Layer2, 0);
        batch.Layer2Delta.CopyTo(state.Layer2Delta, 0);
        batch.Layer1Delta.CopyTo(state.Layer1Delta, 0);
        batch.WeightsUpdate.CopyTo(state.WeightsUpdate, 0);
        batch.KernelsUpdate.CopyTo(state.KernelsUpdate, 0);
    }

    /// <summary>
    /// Test-time logits (no dropout, no softmax) of the first <paramref name="count"/> images into
    /// <paramref name="logits"/> (count × 10), as <see cref="ScratchNetwork.TestLogits"/> computes them.
    /// </summary>
    public void TestLogits(ReadOnlySpan<double> images, int count, Span<double> logits)
    {
        if (images.Length < count * ScratchConfig.Pixels || logits.Length < count * L)
        {
            throw new ArgumentException("buffers too small for the test pass");
        }
        fixed (double* kernels = Network.Kernels, weights = Network.WeightsOneTwo)
        fixed (double* x = images, y = logits)
        {
            var job = _test;
            job.Images = x;
            job.Logits = y;
            job.Count = count;
            job.Kernels = kernels;
            job.Weights = weights;
            job.Skip = Finite.All(kernels, Network.Kernels.Length) && Finite.All(weights, Network.WeightsOneTwo.Length);
            job.Chunks.Reset(count, ChunkSize(count, 8));
            _team.Run(job, count);
        }
    }

    /// <summary>Allocating form of <see cref="TestLogits(ReadOnlySpan{double}, int, Span{double})"/>.</summary>
    public double[] TestLogits(double[] images, int count)
    {
        var logits = new double[count * L];
        TestLogits(images, count, logits);
        return logits;
    }

    /// <summary>How many of the first <paramref name="count"/> test images are classified right (first maximum wins).</summary>
    public int CountTestCorrect(double[] images, ReadOnlySpan<byte> labels, int count)
    {
        if (_testLogits.Length < count * L)
        {
            _testLogits = new double[count * L];
        }
        Span<double> logits = _testLogits.AsSpan(0, count * L);
        TestLogits(images, count, logits);
        return Predictions.CountCorrect(logits, labels[..count]);
    }

    // Images per chunk: about 16 chunks per thread (a slowed thread takes fewer), at least a few pairs of images.
    private int ChunkSize(int count, int minimum) => Math.Max(minimum, count / (16 * _team.Threads));

    private void Check(FastBatch batch)
    {
        if (batch.Config.NumKernels != Config.NumKernels || batch.Config.Grid != Config.Grid)
        {
            throw new ArgumentException($"the batch was made for K={batch.Config.NumKernels}, grid {batch.Config.Grid}", nameof(batch));
        }
    }
}
