using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines.Chapter10;

/// <summary>
/// The chapter-10 engines behind <see cref="ILockstepEngine"/>: a <see cref="ScratchTrainer"/> (the faithful notebook
/// port or the fast path, <see cref="ScratchConfig.Engine"/>) driven as it is, so every number is the one the trainer
/// computes on its own (the golden tests hold it to NumPy's bits). The training loss is reported in
/// <see cref="TrainingMode.Corrected"/> mode, where the update is the gradient of a loss (the mean over the epoch's
/// batches of L = Σ CE / B², see <see cref="CorrectedGradients.Loss"/>); the book's rule is not the gradient of any
/// loss, so there it is null. What leaves it — weights, masks — is in the <c>ch10</c> spec's layout
/// (<see cref="NotebookLayout"/>); the notebook's order stays inside. The adapter listens through
/// <see cref="ScratchTrainer.GradientsObserver"/> and <see cref="ScratchTrainer.MaskObserver"/> (chaining any observer
/// already set), which cost nothing on the fast path and change no number.
/// </summary>
public sealed class Chapter10Engine : ILockstepEngine
{
    private readonly NotebookLayout _layout;
    private readonly string _dropout;
    private double _lossSum, _batchLoss = double.NaN;
    private int _losses;

    public Chapter10Engine(ScratchTrainer trainer)
    {
        Trainer = trainer;
        Spec = ArchitectureSpec.Chapter10(trainer.Config.NumKernels, trainer.Config.Grid);
        _layout = NotebookLayout.Of(Spec);
        _dropout = Spec.Layers.Single(l => l.Spec is DropoutSpec).Name;
        InitialParameters = NotebookParameters.FromNotebook(Spec, trainer.Network);
        Action<CorrectedGradients>? previous = trainer.GradientsObserver;
        trainer.GradientsObserver = g =>
        {
            _lossSum += g.Loss;
            _losses++;
            _batchLoss = g.Loss;
            previous?.Invoke(g);
        };
        Action<int, int, byte[]>? previousMask = trainer.MaskObserver;
        trainer.MaskObserver = (epoch, index, mask) =>
        {
            previousMask?.Invoke(epoch, index, mask);
            if (BatchCompleted is { } completed)
            {
                completed(new SpecBatchStep(epoch, index, _batchLoss, Masks(mask), TrainingOrder.FileOrder));
            }
            _batchLoss = double.NaN;
        };
    }

    /// <summary>
    /// A chapter-10 run of <paramref name="options"/> (its spec must be ch10) under <paramref name="mode"/>'s rule, on the fast
    /// path unless <paramref name="engine"/> says otherwise, started from <paramref name="start"/> (the spec's layout) when given.
    /// </summary>
    public static Chapter10Engine Create(SpecTrainerOptions options, ScratchData data, TrainingMode mode,
        ParameterSet<double>? start = null, ScratchEngine engine = ScratchEngine.Fast)
    {
        var config = Config(options, mode) with { Engine = engine };
        return new Chapter10Engine(new ScratchTrainer(config, data, start is null ? null : NotebookParameters.ToNotebook(start, config)));
    }

    /// <summary>
    /// The notebook's configuration of a ch10 run: its kernels and grid from the spec, batch, alpha (the learning rate),
    /// epochs, images, seed, threads and np.exp from <paramref name="options"/>; the book rule or the corrected one.
    /// (The notebook knows no momentum, learning rate decay, shuffling, weight decay or Adam: a run that asks for them is refused.)
    /// </summary>
    public static ScratchConfig Config(SpecTrainerOptions options, TrainingMode mode)
    {
        if (options.Momentum != 0 || options.LearningRateDecay != 1 || options.Shuffle)
        {
            throw new CnnParityException("the chapter-10 network trains without momentum, learning rate decay or shuffling");
        }
        if (options.Optimizer != OptimizerSettings.Sgd)
        {
            throw new CnnParityException($"the chapter-10 network trains by the notebook's rule (plain SGD), not {options.Optimizer}");
        }
        var layout = NotebookLayout.Of(options.Spec);
        return new ScratchConfig
        {
            NumKernels = layout.NumKernels,
            Grid = layout.Grid,
            BatchSize = options.BatchSize,
            Alpha = options.LearningRate,
            Epochs = options.Epochs,
            TrainCount = options.TrainCount,
            TestCount = options.TestCount,
            Seed = options.Seed,
            Threads = options.Threads,
            Exp = options.Exp,
            Mode = mode,
        }.Validate();
    }

    /// <summary>The trainer being driven (its weights, random stream and observers).</summary>
    public ScratchTrainer Trainer { get; }

    /// <summary>The <c>ch10</c> spec of the trainer's kernels and grid.</summary>
    public ArchitectureSpec Spec { get; }

    public string Name => Trainer.Config.Engine == ScratchEngine.Fast ? "ch10-fast" : "ch10-faithful";

    public int EpochsCompleted => Trainer.EpochsCompleted;

    public int Epochs => Trainer.Config.Epochs;

    /// <summary>The weights the trainer started from (the spec's layout).</summary>
    public ParameterSet<double> InitialParameters { get; }

    /// <summary>
    /// Called after each batch's update; the loss is NaN under the book rule (not the gradient of a loss). The step's masks
    /// are read during the call (the trainer reuses its mask for the next batch).
    /// </summary>
    public Action<SpecBatchStep>? BatchCompleted { get; set; }

    public ParameterSet<double> CurrentParameters() => NotebookParameters.FromNotebook(Spec, Trainer.Network);

    public EpochOutcome RunEpoch()
    {
        _lossSum = 0;
        _losses = 0;
        EpochResult r = Trainer.RunEpoch();
        double? loss = Trainer.Config.Mode == TrainingMode.Corrected && _losses > 0 ? _lossSum / _losses : null;
        return new EpochOutcome(r.Epoch, loss, r.TrainCorrect, r.TrainCount, r.TestCorrect, r.TestCount, r.TrainTime, r.TestTime);
    }

    public double[] TestLogits(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Trainer.Data.TestCount);
        return Trainer.TestLogits(count);
    }

    // The batch's 0/1 mask (position-major) as the spec's dropout layer takes it: NCHW, a kept unit ×2 (1/(1-p)); made
    // only when read (a lockstep twin reads it, a run alone does not), which must be during the BatchCompleted call: the
    // trainer reuses its mask for the next batch.
    private DropoutMasks Masks(byte[] mask)
    {
        return new DropoutMasks(Trainer.Config.BatchSize, [_dropout], _ =>
        {
            var nchw = _layout.HiddenToTorch<byte>(mask);
            var scale = new double[nchw.Length];
            for (int i = 0; i < scale.Length; i++)
            {
                scale[i] = nchw[i] * 2.0;
            }
            return scale;
        });
    }
}
