using CnnParity.Core.Architecture;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;
using CnnParity.Parity.Speed;
using CnnParity.Torch;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Benchmarks;

/// <summary>
/// One implementation of the chapter-10 CNN with the four units of work the suite times, set up once (weights,
/// buffers, a forward pass for the backward to follow) so that a benchmark call does only the work itself.
/// </summary>
public abstract class Implementation : IDisposable
{
    public const string Faithful = "scratch-faithful";
    public const string Fast = "scratch-fast";

    /// <summary>
    /// The TorchSharp twin in <paramref name="dtype"/> on <paramref name="threads"/> LibTorch threads, e.g. "torch-f64-1t":
    /// it is timed at one thread (the parity checks' pin) and at every core (LibTorch's default), to show it at its best.
    /// </summary>
    public static string Torch(Dtype dtype, int threads) => $"torch-{dtype.ShortName()}-{threads}t";

    /// <summary>Every implementation, in the order the tables show them.</summary>
    public static readonly string[] All =
    [
        Faithful, Fast,
        .. TorchRuntime.SpeedThreadCounts.Select(t => Torch(Dtype.Float64, t)),
        .. TorchRuntime.SpeedThreadCounts.Select(t => Torch(Dtype.Float32, t)),
    ];

    /// <summary>Test images per test pass and per epoch: all of MNIST's.</summary>
    public const int TestImages = 10000;

    /// <summary>Threads for the from-scratch code: $CNNPARITY_BENCH_THREADS, else every core.</summary>
    public static int Threads => FromEnvironment("CNNPARITY_BENCH_THREADS", Environment.ProcessorCount);

    private static int FromEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), out int t) && t > 0 ? t : fallback;

    public static Implementation Create(string name, int kernels)
    {
        ScratchConfig config = ScratchConfig.SeedNotebook with
        {
            NumKernels = kernels, Threads = Threads, Epochs = int.MaxValue, TestCount = TestImages,
        };
        if (name == Faithful)
        {
            return new FaithfulScratch(config with { Engine = ScratchEngine.Faithful }, BenchmarkData.Data);
        }
        if (name == Fast)
        {
            return new FastScratch(config with { Engine = ScratchEngine.Fast }, BenchmarkData.Data);
        }
        foreach (Dtype dtype in new[] { Dtype.Float64, Dtype.Float32 })
        {
            foreach (int threads in TorchRuntime.SpeedThreadCounts)
            {
                if (name == Torch(dtype, threads))
                {
                    return new Twin(config, BenchmarkData.Data, dtype, threads);
                }
            }
        }
        throw new ArgumentException($"unknown implementation '{name}'");
    }

    /// <summary>Forward pass of one training batch of 128 (dropout mask, softmax or loss included).</summary>
    public abstract void ForwardBatch();

    /// <summary>Backward pass of that batch (the book rule's update for the from-scratch code; autograd for TorchSharp).</summary>
    public abstract void BackwardBatch();

    /// <summary>One epoch: 7 training batches of 128, then the test pass.</summary>
    public abstract void TrainingEpoch();

    /// <summary>Logits of the 10,000 test images.</summary>
    public abstract void TestPass();

    public virtual void Dispose()
    {
    }

    private static ReadOnlySpan<double> FirstBatch(ScratchData data, int batch) => data.TrainImages.AsSpan(0, batch * ScratchConfig.Pixels);

    private static ReadOnlySpan<double> FirstLabels(ScratchData data, int batch) => data.TrainOneHot.AsSpan(0, batch * ArchitectureSpec.Classes);

    private sealed class FaithfulScratch : Implementation
    {
        private readonly ScratchTrainer _trainer;
        private readonly ScratchData _data;
        private readonly BatchState _batch;
        private readonly NumPyRandomState _random;

        public FaithfulScratch(ScratchConfig config, ScratchData data)
        {
            _data = data;
            _trainer = new ScratchTrainer(config, data);
            _batch = new BatchState(config, config.BatchSize);
            _random = _trainer.Random.Clone();
            ForwardBatch();
        }

        public override void ForwardBatch() => _trainer.Network.Forward(_batch, FirstBatch(_data, _batch.BatchSize), _random);

        public override void BackwardBatch() => _trainer.Network.BookUpdate(_batch, FirstLabels(_data, _batch.BatchSize));

        public override void TrainingEpoch() => _trainer.RunEpoch();

        public override void TestPass() => _trainer.Network.TestLogits(_data.TestImages, TestImages);
    }

    private sealed class FastScratch : Implementation
    {
        private readonly ScratchTrainer _trainer;
        private readonly FastNetwork _network;
        private readonly ScratchData _data;
        private readonly FastBatch _batch;
        private readonly NumPyRandomState _random;
        private readonly double[] _logits = new double[TestImages * ArchitectureSpec.Classes];

        public FastScratch(ScratchConfig config, ScratchData data)
        {
            _data = data;
            _trainer = new ScratchTrainer(config, data);
            _network = new FastNetwork(_trainer.Network); // the trainer's weights, buffers of its own
            _batch = new FastBatch(config, config.BatchSize);
            _random = _trainer.Random.Clone();
            ForwardBatch();
        }

        public override void ForwardBatch() => _network.Forward(_batch, FirstBatch(_data, _batch.BatchSize), _random);

        public override void BackwardBatch() => _network.BookUpdate(_batch, FirstLabels(_data, _batch.BatchSize));

        public override void TrainingEpoch() => _trainer.RunEpoch();

        public override void TestPass() => _network.TestLogits(_data.TestImages, TestImages, _logits);
    }

    /// <summary>The ch10 spec's TorchSharp twin with the notebook's options (its weights, its first mask, the Σ/B² loss).</summary>
    private sealed class Twin : Implementation
    {
        private readonly ScratchData _data;
        private readonly SpecTwin _twin;
        private readonly SpecTwinTrainer _trainer;
        private readonly DropoutMasks _masks;
        private readonly int _batch;
        private readonly EpochWorkload _epoch;
        private readonly Tensor _loss;
        private readonly int _threads;

        public Twin(ScratchConfig config, ScratchData data, Dtype dtype, int threads)
        {
            _threads = threads;
            set_num_threads(threads);
            _data = data;
            _batch = config.BatchSize;
            var spec = ArchitectureSpec.Chapter10(config.NumKernels, config.Grid);
            var options = new SpecTrainerOptions(spec)
            {
                Dtype = dtype, BatchSize = config.BatchSize, LearningRate = config.Alpha, TrainCount = config.TrainCount,
                TestCount = TestImages, Seed = config.Seed, Threads = config.Threads,
            };
            var random = new NumPyRandomState(config.Seed);
            var initial = ParameterSet<double>.Initialize(spec, random, options.Model.Initialisation);
            _masks = DropoutMasks.Draw(spec, _batch, random, options.Model.Masks);
            _twin = new SpecTwin(spec, TwinDtype.Of(dtype));
            foreach (var p in spec.Parameters) _twin.Load(p, initial[p.Name]);
            _trainer = new SpecTwinTrainer(_twin, options.LearningRate, 0, 1, options.Model.Loss);
            // The epoch trains a twin of its own (the workload's, disposed with it).
            _epoch = Workloads.Twin(options, data, threads);
            // The graph the backward benchmark runs again and again (retained: a graph is freed by its backward).
            _loss = _trainer.Loss(FirstBatch(data, _batch), data.TrainLabels.AsSpan(0, _batch), name => _masks[name]).Loss;
        }

        // The thread count is process-wide and the cases share the process: each call sets its own.
        public override void ForwardBatch()
        {
            set_num_threads(_threads);
            using var scope = NewDisposeScope();
            using var noGrad = no_grad();
            _trainer.Loss(FirstBatch(_data, _batch), _data.TrainLabels.AsSpan(0, _batch), name => _masks[name]);
        }

        public override void BackwardBatch()
        {
            set_num_threads(_threads);
            _trainer.ZeroGrad();
            _loss.backward(retain_graph: true);
        }

        public override void TrainingEpoch()
        {
            set_num_threads(_threads);
            _epoch.RunEpoch();
        }

        public override void TestPass()
        {
            set_num_threads(_threads);
            _trainer.Logits(_data.TestImages, TestImages);
        }

        public override void Dispose()
        {
            _loss.Dispose();
            _epoch.Dispose();
            _trainer.Dispose();
            _twin.Dispose();
        }
    }
}
