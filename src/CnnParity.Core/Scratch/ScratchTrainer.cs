using System.Diagnostics;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch.Fast;

namespace CnnParity.Core.Scratch;

/// <summary>
/// Runs the notebook's training loop: <c>np.random.seed(seed)</c>, the initialisation, then per epoch the
/// batches in order (forward, dropout mask, update) and the test pass. One <see cref="NumPyRandomState"/>
/// serves the initialisation and every dropout mask, in the notebook's order.
/// <code>
/// var trainer = new ScratchTrainer(ScratchConfig.SeedNotebook with { Epochs = 5 }, ScratchData.Load(dir, 1000, 10000));
/// foreach (EpochResult e in trainer.Train()) Console.WriteLine(e.LogLine);
/// </code>
/// The batches run on <see cref="ScratchConfig.Engine"/>: the fast path by default, the faithful
/// <see cref="ScratchNetwork"/> on request; the weights, log lines and every tensor are the same bits either way.
/// </summary>
public sealed class ScratchTrainer
{
    private readonly FastNetwork? _fast;
    private readonly FastBatch? _fastBatch;
    private BatchState? _batch; // the faithful path's tensors; on the fast path, made for an observer only

    public ScratchTrainer(ScratchConfig config, ScratchData data)
        : this(config, data, start: null)
    {
    }

    /// <summary>
    /// A run that starts from <paramref name="start"/>'s weights instead of the drawn ones. The weights are still drawn
    /// first, so every dropout mask is the seed's, as in any other run of <paramref name="config"/>: what changes is the
    /// starting point only (a run one rounding away, to measure how far rounding alone carries a run).
    /// </summary>
    public ScratchTrainer(ScratchConfig config, ScratchData data, ScratchNetwork? start)
    {
        config.Validate();
        if (data.TrainCount < config.TrainCount || data.TestCount < config.TestCount)
        {
            throw new CnnParityException(
                $"the data holds {data.TrainCount} training and {data.TestCount} test images; the run needs {config.TrainCount} and {config.TestCount}");
        }
        Config = config;
        Data = data;
        Random = new NumPyRandomState(config.Seed);
        Network = ScratchNetwork.Initialize(config, Random);
        if (start is not null)
        {
            if (start.Kernels.Length != Network.Kernels.Length || start.WeightsOneTwo.Length != Network.WeightsOneTwo.Length)
            {
                throw new ArgumentException("the start weights are for another configuration", nameof(start));
            }
            start.Kernels.CopyTo(Network.Kernels, 0);
            start.WeightsOneTwo.CopyTo(Network.WeightsOneTwo, 0);
        }
        if (config.Engine == ScratchEngine.Fast)
        {
            _fast = new FastNetwork(Network);
            _fastBatch = new FastBatch(config, config.BatchSize);
        }
    }

    public ScratchConfig Config { get; }

    public ScratchData Data { get; }

    /// <summary>The one random stream (initialisation, then the dropout masks).</summary>
    public NumPyRandomState Random { get; }

    /// <summary>The weights being trained.</summary>
    public ScratchNetwork Network { get; }

    /// <summary>Epochs run so far; the next epoch's index.</summary>
    public int EpochsCompleted { get; private set; }

    /// <summary>
    /// Called after each batch with the batch's tensors, the epoch and the batch index (e.g. to dump or check
    /// intermediate tensors). In <see cref="TrainingMode.Corrected"/> mode the gradients are passed too. Both are
    /// reused by the next batch. While an observer is set the fast path keeps and copies out every tensor, which
    /// costs time but changes no number.
    /// </summary>
    public Action<BatchState, int, int, CorrectedGradients?>? BatchObserver { get; set; }

    /// <summary>
    /// Called after each <see cref="TrainingMode.Corrected"/> batch with its gradients (and loss), reused by the next
    /// batch. Unlike <see cref="BatchObserver"/> it costs nothing: no tensor is kept or copied for it.
    /// </summary>
    public Action<CorrectedGradients>? GradientsObserver { get; set; }

    /// <summary>
    /// Called after each batch's update with the epoch, the batch index and the batch's 0/1 dropout mask (B × hidden,
    /// position-major as <c>layer_1</c>; reused by the next batch). It costs a copy on the faithful path and nothing on the
    /// fast one: no other tensor is kept for it.
    /// </summary>
    public Action<int, int, byte[]>? MaskObserver { get; set; }

    private byte[] _mask = [];

    /// <summary>Runs the remaining epochs up to <see cref="ScratchConfig.Epochs"/>, yielding each as it ends.</summary>
    public IEnumerable<EpochResult> Train(CancellationToken cancellationToken = default)
    {
        while (EpochsCompleted < Config.Epochs)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return RunEpoch();
        }
    }

    /// <summary>Runs the remaining epochs, calling <paramref name="onEpoch"/> after each; returns all results.</summary>
    public IReadOnlyList<EpochResult> Run(Action<EpochResult>? onEpoch = null, CancellationToken cancellationToken = default)
    {
        var results = new List<EpochResult>();
        foreach (EpochResult result in Train(cancellationToken))
        {
            results.Add(result);
            onEpoch?.Invoke(result);
        }
        return results;
    }

    /// <summary>One epoch: the training batches, then the test pass.</summary>
    public EpochResult RunEpoch()
    {
        int epoch = EpochsCompleted;
        var clock = Stopwatch.StartNew();
        int trainCorrect = 0;
        for (int i = 0; i < Config.BatchesPerEpoch; i++)
        {
            trainCorrect += _fast is null ? FaithfulStep(epoch, i) : FastStep(epoch, i);
        }
        TimeSpan trainTime = clock.Elapsed;
        clock.Restart();
        int testCorrect = _fast is null
            ? Network.CountTestCorrect(Data.TestImages, Data.TestLabels, Config.TestCount)
            : _fast.CountTestCorrect(Data.TestImages, Data.TestLabels, Config.TestCount);
        EpochsCompleted++;
        return new EpochResult(epoch, testCorrect, Config.TestCount, trainCorrect, Config.TrainCount, trainTime, clock.Elapsed);
    }

    /// <summary>
    /// Test-time logits (no dropout, no softmax) of the first <paramref name="count"/> test images with the current
    /// weights, count × 10, from the run's engine (both give the same bits).
    /// </summary>
    public double[] TestLogits(int count) =>
        _fast?.TestLogits(Data.TestImages, count) ?? Network.TestLogits(Data.TestImages, count);

    private ReadOnlySpan<double> Images(int batch) =>
        Data.TrainImages.AsSpan(batch * Config.BatchSize * ScratchConfig.Pixels, Config.BatchSize * ScratchConfig.Pixels);

    private ReadOnlySpan<double> OneHot(int batch) =>
        Data.TrainOneHot.AsSpan(batch * Config.BatchSize * ArchitectureSpec.Classes, Config.BatchSize * ArchitectureSpec.Classes);

    private ReadOnlySpan<byte> Labels(int batch) => Data.TrainLabels.AsSpan(batch * Config.BatchSize, Config.BatchSize);

    // Forward, dropout mask and update of one batch on the faithful path; returns how many of its images were right.
    private int FaithfulStep(int epoch, int index)
    {
        _batch ??= new BatchState(Config, Config.BatchSize);
        Network.Forward(_batch, Images(index), Random);
        int correct = Predictions.CountCorrect(_batch.Layer2, Labels(index));
        CorrectedGradients? gradients = null;
        if (Config.Mode == TrainingMode.Book)
        {
            Network.BookUpdate(_batch, OneHot(index));
        }
        else
        {
            gradients = Network.CorrectedBackward(_batch, OneHot(index));
            Network.ApplyCorrected(gradients);
            GradientsObserver?.Invoke(gradients);
        }
        BatchObserver?.Invoke(_batch, epoch, index, gradients);
        if (MaskObserver is { } observeMask)
        {
            if (_mask.Length != _batch.DropoutMask.Length)
            {
                _mask = new byte[_batch.DropoutMask.Length];
            }
            for (int i = 0; i < _mask.Length; i++)
            {
                _mask[i] = (byte)_batch.DropoutMask[i];
            }
            observeMask(epoch, index, _mask);
        }
        return correct;
    }

    // The same on the fast path.
    private int FastStep(int epoch, int index)
    {
        FastBatch batch = _fastBatch!;
        batch.AllTensors = BatchObserver is not null;
        _fast!.Forward(batch, Images(index), Random);
        int correct = FastNetwork.CountCorrect(batch, Labels(index));
        CorrectedGradients? gradients = null;
        if (Config.Mode == TrainingMode.Book)
        {
            _fast.BookUpdate(batch, OneHot(index));
        }
        else
        {
            gradients = _fast.CorrectedBackward(batch, OneHot(index));
            _fast.ApplyCorrected(gradients);
            GradientsObserver?.Invoke(gradients);
        }
        if (BatchObserver is { } observer)
        {
            _batch ??= new BatchState(Config, Config.BatchSize);
            _fast.Export(batch, _batch);
            observer(_batch, epoch, index, gradients);
        }
        MaskObserver?.Invoke(epoch, index, batch.Mask);
        return correct;
    }
}
