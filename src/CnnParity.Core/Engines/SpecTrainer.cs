using System.Diagnostics;
using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Core.Engines;

/// <summary>
/// Trains a spec from scratch: <c>np.random.seed(seed)</c>, <see cref="ParameterSet{T}.Initialize"/> (float64, rounded
/// once for float32), then per epoch the whole batches in file order (or, with <see cref="SpecTrainerOptions.Shuffle"/>, in
/// the order of a permutation drawn at the epoch's start: <see cref="TrainingOrder"/>), each with its dropout masks drawn from
/// the same <see cref="NumPyRandomState"/> (<see cref="DropoutMasks.Draw"/>), forward, loss, backward and an
/// optimizer step (<see cref="Optimizers.Create{T}"/>: SGD, Adam or AdamW); then the test pass in evaluation mode. The NumPy reference
/// (reference/spec_reference.py) and the TorchSharp twin follow the same recipe.
/// <code>
/// var trainer = new SpecTrainer(new SpecTrainerOptions(ArchitectureSpec.Parse("lenet5")) { Epochs = 2 }, data);
/// EpochOutcome first = trainer.RunEpoch();
/// </code>
/// </summary>
public sealed class SpecTrainer : ILockstepEngine
{
    private readonly IRun _run;

    public SpecTrainer(SpecTrainerOptions options, ScratchData data)
        : this(options, data, start: null)
    {
    }

    /// <summary>
    /// A run that starts from <paramref name="start"/> instead of the drawn weights. The weights are still drawn first, so
    /// the random stream — every batch's dropout masks — is the seed's, as in any other run of these options: what
    /// changes is the starting point only (a run one rounding away, to measure how far rounding alone carries a run).
    /// </summary>
    public SpecTrainer(SpecTrainerOptions options, ScratchData data, ParameterSet<double>? start)
    {
        options.Validate(data);
        Options = options;
        Data = data;
        Random = new NumPyRandomState(options.Seed);
        InitialParameters = ParameterSet<double>.Initialize(options.Spec, Random, options.Model.Initialisation);
        if (start is not null)
        {
            if (start.Spec.Text != options.Spec.Text) throw new ArgumentException("the start weights belong to another spec", nameof(start));
            InitialParameters = start.Clone();
        }
        _run = options.Dtype == Dtype.Float64
            ? new Run<double>(this, InitialParameters.Clone())
            : new Run<float>(this, InitialParameters.ToFloat32());
    }

    public SpecTrainerOptions Options { get; }

    public ArchitectureSpec Spec => Options.Spec;

    public ScratchData Data { get; }

    /// <summary>The one random stream: the initial weights, then per epoch its order (when shuffled) and the dropout masks of every batch.</summary>
    public NumPyRandomState Random { get; }

    /// <summary>The weights the run starts from, in float64 (the float32 run starts from these rounded once): as drawn, or the given start.</summary>
    public ParameterSet<double> InitialParameters { get; }

    /// <summary>Called after each training batch's step with its epoch, index, loss (before the step), masks and the epoch's order.</summary>
    public Action<SpecBatchStep>? BatchCompleted { get; set; }

    public string Name => $"scratch-{Options.Dtype.ShortName()} {Options.Spec.DisplayName}";

    public int EpochsCompleted { get; private set; }

    public int Epochs => Options.Epochs;

    /// <summary>The current weights, widened to float64 (a copy).</summary>
    public ParameterSet<double> CurrentParameters() => _run.CurrentParameters();

    public EpochOutcome RunEpoch()
    {
        EpochOutcome outcome = _run.RunEpoch(EpochsCompleted);
        EpochsCompleted++;
        return outcome;
    }

    public double[] TestLogits(int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Data.TestCount);
        return _run.TestLogits(count);
    }

    private interface IRun
    {
        EpochOutcome RunEpoch(int epoch);

        double[] TestLogits(int count);

        ParameterSet<double> CurrentParameters();
    }

    private sealed class Run<T> : IRun
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        private readonly SpecTrainer _trainer;
        private readonly SpecTrainerOptions _options;
        private readonly ParameterSet<T> _parameters;
        private readonly ParameterSet<T> _gradients;
        private readonly SpecNetwork<T> _network;
        private readonly IOptimizer<T> _optimizer;
        private readonly T[] _images;
        private readonly double[] _gathered;
        private readonly byte[] _labels;
        private readonly int _pixels;
        private ForwardPass<T>? _pass, _remainder;

        public Run(SpecTrainer trainer, ParameterSet<T> parameters)
        {
            _trainer = trainer;
            _options = trainer.Options;
            _parameters = parameters;
            _gradients = ParameterSet<T>.Zeros(_options.Spec);
            _network = new SpecNetwork<T>(_options.Spec, parameters, _options.Threads, _options.Exp, _options.Model.Loss);
            _optimizer = Optimizers.Create<T>(_options);
            _pixels = _options.Spec.Input.Size;
            _images = new T[_options.BatchSize * _pixels];
            _gathered = _options.Shuffle ? new double[_options.BatchSize * _pixels] : [];
            _labels = _options.Shuffle ? new byte[_options.BatchSize] : [];
        }

        public ParameterSet<double> CurrentParameters() => _parameters.ToFloat64();

        public EpochOutcome RunEpoch(int epoch)
        {
            int batch = _options.BatchSize;
            _optimizer.LearningRate = _options.LearningRateAt(epoch);
            var clock = Stopwatch.StartNew();
            double lossSum = 0;
            int correct = 0;
            ScratchData data = _trainer.Data;
            TrainingOrder order = TrainingOrder.ForEpoch(_options, _trainer.Random);
            for (int i = 0; i < _options.BatchesPerEpoch; i++)
            {
                DropoutMasks masks = DropoutMasks.Draw(_options.Spec, batch, _trainer.Random, _options.Model.Masks);
                ReadOnlySpan<byte> labels = order.Labels(data, i, batch, _labels);
                _pass = _network.Forward(InDtype(order.Images(data, i, batch, _pixels, _gathered)), batch, masks, _pass);
                double loss = double.CreateTruncating(_network.Loss(_pass, labels));
                lossSum += loss;
                correct += _pass.CountCorrect(labels);
                _network.Backward(_pass, labels, _gradients);
                _optimizer.Step(_parameters, _gradients);
                _trainer.BatchCompleted?.Invoke(new SpecBatchStep(epoch, i, loss, masks, order));
            }
            TimeSpan trainTime = clock.Elapsed;
            clock.Restart();
            int testCorrect = Test(_options.TestCount, null);
            return new EpochOutcome(epoch, lossSum / _options.BatchesPerEpoch, correct, _options.BatchesPerEpoch * batch,
                testCorrect, _options.TestCount, trainTime, clock.Elapsed);
        }

        public double[] TestLogits(int count)
        {
            var logits = new double[count * _options.Spec.Layers[^1].Output.Size];
            Test(count, logits);
            return logits;
        }

        // The test pass in evaluation mode, a batch at a time (each image's logits are its own sums: the chunking
        // changes no bit); counts the right answers and, when asked, keeps the logits.
        private int Test(int count, double[]? logits)
        {
            int batch = _options.BatchSize, correct = 0;
            for (int start = 0; start < count; start += batch)
            {
                int n = Math.Min(batch, count - start);
                ForwardPass<T> pass = n == batch
                    ? _pass = _network.Forward(Images(_trainer.Data.TestImages, start, n), n, null, _pass)
                    : _remainder = _network.Forward(Images(_trainer.Data.TestImages, start, n), n, null, _remainder);
                correct += pass.CountCorrect(_trainer.Data.TestLabels.AsSpan(start, n));
                if (logits != null)
                {
                    int classes = pass.Logits.Length / n;
                    for (int i = 0; i < pass.Logits.Length; i++)
                    {
                        logits[start * classes + i] = double.CreateTruncating(pass.Logits[i]);
                    }
                }
            }
            return correct;
        }

        private ReadOnlySpan<T> Images(double[] source, int first, int n) => InDtype(source.AsSpan(first * _pixels, n * _pixels));

        // The float64 pixels themselves, or each rounded once to float32.
        private ReadOnlySpan<T> InDtype(ReadOnlySpan<double> pixels)
        {
            if (typeof(T) == typeof(double))
            {
                return System.Runtime.InteropServices.MemoryMarshal.Cast<double, T>(pixels);
            }
            for (int i = 0; i < pixels.Length; i++)
            {
                _images[i] = T.CreateTruncating(pixels[i]);
            }
            return _images.AsSpan(0, pixels.Length);
        }
    }
}

/// <summary>One training batch of a <see cref="SpecTrainer"/>, reported after its SGD step.</summary>
/// <param name="Loss">the batch's mean loss before the step, widened to float64</param>
/// <param name="Order">the epoch's order: the batch's images are <c>Order.Images(data, Batch, …)</c> (a twin stepped in
/// lockstep takes the same ones)</param>
public sealed record SpecBatchStep(int Epoch, int Batch, double Loss, DropoutMasks Masks, TrainingOrder Order);
