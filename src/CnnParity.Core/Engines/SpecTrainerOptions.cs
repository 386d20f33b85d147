using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines;

/// <summary>Everything that defines a <see cref="SpecTrainer"/> run.</summary>
public sealed record SpecTrainerOptions
{
    public SpecTrainerOptions(ArchitectureSpec spec) => Spec = spec;

    /// <summary>The network.</summary>
    public ArchitectureSpec Spec { get; init; }

    /// <summary>
    /// How the network starts, draws its dropout masks and scales its loss: by default <see cref="ModelOptions.Of"/> the
    /// spec (the notebook's for ch10, PyTorch's for any other).
    /// </summary>
    public ModelOptions Model
    {
        get => _model ?? ModelOptions.Of(Spec);
        init => _model = value;
    }

    private readonly ModelOptions? _model;

    /// <summary>float64 or float32 arithmetic (the weights are drawn in float64 and rounded once for float32).</summary>
    public Dtype Dtype { get; init; } = Dtype.Float64;

    public int BatchSize { get; init; } = 64;

    public double LearningRate { get; init; } = 0.05;

    /// <summary>
    /// The learning rate's factor per epoch, as torch.optim.lr_scheduler.ExponentialLR(gamma) stepped after each epoch:
    /// epoch e trains at lr·γ^e, each epoch's rate the previous one times γ in double (1: a constant rate). SGD at a
    /// constant rate keeps jumping around a minimum; a decaying one settles, so the last epoch's accuracy is not a lottery.
    /// </summary>
    public double LearningRateDecay { get; init; } = 1;

    /// <summary>The learning rate of epoch <paramref name="epoch"/> (from 0), multiplied out as ExponentialLR does.</summary>
    public double LearningRateAt(int epoch)
    {
        double rate = LearningRate;
        for (int e = 0; e < epoch; e++) rate *= LearningRateDecay;
        return rate;
    }

    /// <summary>SGD momentum (0: plain SGD; Adam and AdamW take none).</summary>
    public double Momentum { get; init; }

    /// <summary>torch.optim.SGD (the default, without weight decay), Adam or AdamW, with the weight decay and Adam's β1, β2, eps.</summary>
    public OptimizerSettings Optimizer { get; init; } = OptimizerSettings.Sgd;

    public int Epochs { get; init; } = 10;

    /// <summary>
    /// Reshuffle the training images at the start of every epoch, as a PyTorch <c>DataLoader(shuffle=True)</c> does: without
    /// it every epoch sees the same batches in file order, and a network settles on what that one order teaches (LeNet-5
    /// plateaus near 98.7%). The order is <c>np.random.permutation(TrainCount)</c> drawn from the run's one stream, after
    /// the previous epoch's masks (<see cref="TrainingOrder"/>). Off by default: the runs, logs and goldens as before.
    /// </summary>
    public bool Shuffle { get; init; }

    /// <summary>The first N training images; only whole batches are trained (the remainder is left out, as chapter 10).</summary>
    public int TrainCount { get; init; } = 60_000;

    /// <summary>The first N test images of each epoch's test pass.</summary>
    public int TestCount { get; init; } = 10_000;

    /// <summary><c>np.random.seed(seed)</c>: the initial weights, then every batch's dropout masks (and with <see cref="Shuffle"/>
    /// each epoch's order), from one stream.</summary>
    public uint Seed { get; init; } = 1;

    /// <summary>Threads of the engine; the results are the same bits for any count.</summary>
    public int Threads { get; init; } = Environment.ProcessorCount;

    /// <summary>The float64 exp of the NumPy being mirrored (softmax, sigmoid).</summary>
    public NumPyExpKernel Exp { get; init; } = NumPyExpKernel.Svml;

    /// <summary>Whole batches per epoch.</summary>
    public int BatchesPerEpoch => TrainCount / BatchSize;

    /// <summary><see cref="Validate()"/>, and that <paramref name="data"/> holds the images the run takes.</summary>
    public SpecTrainerOptions Validate(Scratch.ScratchData data)
    {
        Validate();
        if (data.TrainCount < TrainCount || data.TestCount < TestCount)
            throw new CnnParityException($"the data holds {data.TrainCount} training and {data.TestCount} test images; the run needs {TrainCount} and {TestCount}");
        return this;
    }

    /// <summary>Throws <see cref="CnnParityException"/> naming the first option that cannot run.</summary>
    public SpecTrainerOptions Validate()
    {
        if (BatchSize < 1) throw new CnnParityException($"the batch size must be at least 1, got {BatchSize}");
        if (TrainCount < BatchSize) throw new CnnParityException($"{TrainCount} training images do not fill one batch of {BatchSize}");
        if (TestCount < 0) throw new CnnParityException($"the test count cannot be negative, got {TestCount}");
        if (Epochs < 0) throw new CnnParityException($"the epoch count cannot be negative, got {Epochs}");
        if (Threads < 1) throw new CnnParityException($"the thread count must be at least 1, got {Threads}");
        if (!double.IsFinite(LearningRate) || LearningRate <= 0) throw new CnnParityException($"the learning rate must be a positive number, got {LearningRate}");
        if (Dtype == Dtype.Float32 && LearningRate > float.MaxValue) throw new CnnParityException($"the learning rate {LearningRate} does not fit a float32 run (at most {float.MaxValue})");
        if (!double.IsFinite(LearningRateDecay) || LearningRateDecay <= 0 || LearningRateDecay > 1) throw new CnnParityException($"the learning rate decay must be in (0, 1], got {LearningRateDecay}");
        if (!double.IsFinite(Momentum) || Momentum < 0 || Momentum >= 1) throw new CnnParityException($"the momentum must be in [0, 1), got {Momentum}");
        (Optimizer ?? throw new CnnParityException("no optimizer given")).Validate();
        if (Optimizer.IsAdam && Momentum != 0) throw new CnnParityException($"momentum belongs to SGD; {Optimizer.Name} keeps its own moments (beta1, beta2)");
        return this;
    }
}
