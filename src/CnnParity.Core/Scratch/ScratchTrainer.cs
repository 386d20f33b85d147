using System.Diagnostics;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Scratch;

/// <summary>
/// Runs the notebook's training loop: <c>np.random.seed(seed)</c>, the initialisation, then per epoch the
/// batches in order (forward, dropout mask, update) and the test pass. One <see cref="NumPyRandomState"/>
/// serves the initialisation and every dropout mask, in the notebook's order.
/// <code>
/// var trainer = new ScratchTrainer(ScratchConfig.SeedNotebook with { Epochs = 5 }, ScratchData.Load(dir, 1000, 10000));
/// foreach (EpochResult e in trainer.Train()) Console.WriteLine(e.LogLine);
/// </code>
/// </summary>
public sealed class ScratchTrainer
{
    private readonly BatchState _batch;

    public ScratchTrainer(ScratchConfig config, ScratchData data)
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
        _batch = new BatchState(config, config.BatchSize);
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
    /// intermediate tensors). In <see cref="TrainingMode.Corrected"/> mode the gradients are passed too.
    /// </summary>
    public Action<BatchState, int, int, CorrectedGradients?>? BatchObserver { get; set; }

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
        int b = Config.BatchSize;
        for (int i = 0; i < Config.BatchesPerEpoch; i++)
        {
            int start = i * b;
            Network.Forward(_batch, Data.TrainImages.AsSpan(start * ScratchConfig.Pixels, b * ScratchConfig.Pixels), Random);
            trainCorrect += ScratchNetwork.CountCorrect(_batch.Layer2, Data.TrainLabels.AsSpan(start, b));
            ReadOnlySpan<double> labels = Data.TrainOneHot.AsSpan(start * ScratchConfig.Labels, b * ScratchConfig.Labels);
            CorrectedGradients? gradients = null;
            if (Config.Mode == TrainingMode.Book)
            {
                Network.BookUpdate(_batch, labels);
            }
            else
            {
                gradients = Network.CorrectedBackward(_batch, labels);
                Network.ApplyCorrected(gradients);
            }
            BatchObserver?.Invoke(_batch, epoch, i, gradients);
        }
        TimeSpan trainTime = clock.Elapsed;
        clock.Restart();
        int testCorrect = Network.CountTestCorrect(Data.TestImages, Data.TestLabels, Config.TestCount);
        EpochsCompleted++;
        return new EpochResult(epoch, testCorrect, Config.TestCount, trainCorrect, Config.TrainCount, trainTime, clock.Elapsed);
    }
}
