using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Speed;
using CnnParity.Reports;
using CnnParity.Reports.Model;
using CnnParity.Testing;

namespace CnnParity.Reports.Tests;

/// <summary>
/// A made-up but realistic report: the shapes, magnitudes and names a real `cnnparity report` run produces,
/// built from a fixed seed so two calls give equal reports.
/// </summary>
internal static class SyntheticReport
{
    public static readonly Tolerance F64 = new("f64 forward", 1e-12, 1e-14, "float64 sums in a different order differ by a few ULP");
    public static readonly Tolerance F32 = new("f32 forward", 1e-5, 1e-6, "float32 against a float64 reference");
    public static readonly Tolerance Fd = new("finite differences", 1e-5, 1e-7, "central differences, h = 1e-6");

    public static ParityReport Create(
        int epochs = 300, int testCount = 1000, int kernels = 4, int grid = 26,
        double timingScale = 1, bool failForward = false)
    {
        var forward = new List<LayerComparison>();
        foreach (var layer in new[] { "conv1", "tanh1", "dropout1", "flatten", "dense1", "loss" })
        {
            forward.Add(new LayerComparison(layer, Dtype.Float64, "first batch",
                new TensorDistance(2.2e-16, 4.4e-16, 2, 100_000, 99_000), F64, true));
            forward.Add(new LayerComparison(layer, Dtype.Float32, "first batch",
                new TensorDistance(3.1e-7, 2.4e-6, 12, 100_000, 71_000), F32, true));
        }
        if (failForward)
            forward[^1] = forward[^1] with { Distance = new TensorDistance(0.2, 0.9, 1_000_000, 100_000, 0), Pass = false };

        List<GradientComparison> gradients =
        [
            new("conv1.weight", Dtype.Float64, "autograd vs manual", new TensorDistance(1e-17, 3e-15, 9, 36, 20), F64, true, 36),
            new("dense1.weight", Dtype.Float64, "autograd vs manual", new TensorDistance(4e-18, 1e-15, 4, 27_040, 26_000), F64, true, 27_040),
            new("dense1.weight", Dtype.Float64, "manual vs finite differences", new TensorDistance(2e-11, 8e-8, 0, 64, 0), Fd, true, 64),
        ];
        List<BookRuleFinding> bookRule =
        [
            new("kernels", -0.31, 12.4, "The book's kernel update points uphill: it is not the gradient of the loss."),
            new("weights_1_2", 1.0, 1.0, "The book's weights_1_2 update is the true descent step."),
        ];

        var random = new Random(7);
        var labels = Enumerable.Range(0, testCount).Select(_ => (byte)random.Next(10)).ToArray();
        List<TrainingRun> training =
        [
            Run(BookRun, epochs, 0.78, labels, random, lockstep: false),
            Run(SpecLockstep.EngineName(Dtype.Float64), epochs, 0.88, labels, random, lockstep: false),
            Run(SpecLockstep.TwinName(Dtype.Float64), epochs, 0.88, labels, random, lockstep: true) with { Flips = [] },
            Run("ML.NET linear (LbfgsMaximumEntropy)", 1, 0.85, labels, random, lockstep: false),
        ];
        var lockstep = training[2].Epochs.Select(e => new LockstepEpoch(e.Epoch, e.Loss!.Value, e.Loss.Value, e.TestAcc, e.TestAcc,
            e.MaxParamRelDiff!.Value, e.Sensitivity)).ToList();
        var checks = new SpecParityResult(null, "ch10", forward, gradients, lockstep, Tolerances.LockstepDriftFloat64.Limit, null) { BookRule = bookRule };

        List<SpeedRow> speed =
        [
            Speed("from-scratch C#", "one epoch", 0.84 * timingScale, 1.7),
            Speed("TorchSharp", "one epoch", 0.49 * timingScale, 1.0),
            Speed("NumPy", "one epoch", 2.10 * timingScale, 4.3),
            Speed("from-scratch C#", "forward, test set", 0.031 * timingScale, 1.0),
            Speed("TorchSharp", "forward, test set", 0.045 * timingScale, 1.45),
        ];

        var verdict = Judge.Decide(checks, [training[0], training[^1]]);
        return new ParityReport(
            verdict.Verdict, verdict.Reasons,
            new ReportEnvironment("Intel(R) Xeon(R) CPU @ 2.20GHz", 2, 1, "Debian GNU/Linux 12 (bookworm)", ".NET 10.0.0",
                "0.2.0-alpha.0.23+d3ed3f6a06beda8193417621596b20b986755f7f", "0.107.0", "2.7.1", "5.0.1", "1.24.2"),
            new ReportConfiguration("MNIST", 1, kernels, grid, epochs, 1000, testCount, 128, 2.0, false, "OMP_NUM_THREADS=1, torch.set_num_threads(1)",
                "svml", "detected: this CPU has AVX512_SKX", Spec: ArchitectureSpec.Chapter10(kernels, grid).Text),
            checks, bookRule, training, new SpeedSection(speed,
                new ComputeFloorRow(2.33e9, 20e9, 2, 0.058 * timingScale, 512, ComputeFloor.Counted(ArchitectureSpec.Chapter10(kernels, grid))), 41.7 * timingScale,
                [new SpeedGoal("fast path vs TorchSharp twin (f64) at its faster thread count, epoch", 18.7, 15.2, 21.0, "×", "≥ 10×",
                    "K=16, test pass of 10,000", kernels == 16 ? true : null, "TorchSharp twin (f64, 2 threads)")]));
    }

    /// <summary>The book-rule run's name, as the report names it.</summary>
    public static readonly string BookRun = SpecTraining.Name(twin: false, Dtype.Float64, Core.Scratch.TrainingMode.Book);

    /// <summary>A run whose accuracy rises towards <paramref name="plateau"/>, with predictions right that often.</summary>
    public static TrainingRun Run(string model, int epochs, double plateau, byte[] labels, Random random, bool lockstep)
    {
        var records = Enumerable.Range(0, epochs).Select(e =>
        {
            double rise = epochs == 1 ? 1 : 1 - Math.Exp(-(e + 1) / 40.0); // a one-shot model is at its plateau
            double test = Math.Round(0.1 + (plateau - 0.1) * rise + 0.01 * (random.NextDouble() - 0.5), 4);
            double train = Math.Round(Math.Min(1, test + 0.03 * random.NextDouble()), 4);
            double? drift = lockstep ? 1e-16 * Math.Pow(1.02, e) : null;
            return new EpochRecord(e, test, train, drift, model.Contains("book") ? null : 2.3 * Math.Exp(-e / 60.0), lockstep ? 1e-16 : null);
        }).ToList();

        var predictions = new int[labels.Length];
        var probabilities = new double[labels.Length * 10];
        for (int i = 0; i < labels.Length; i++)
        {
            bool right = random.NextDouble() < plateau;
            predictions[i] = right ? labels[i] : (labels[i] + 1 + random.Next(9)) % 10;
            double rest = 0.4 * random.NextDouble();
            for (int c = 0; c < 10; c++) probabilities[i * 10 + c] = rest / 9;
            probabilities[i * 10 + predictions[i]] = 1 - rest;
        }
        return new TrainingRun(model, records, [.. labels], predictions, probabilities);
    }

    private static SpeedRow Speed(string implementation, string work, double median, double ratio) =>
        new(implementation, work, 7, median, median * 0.97, median * 1.06, ratio, ratio * 0.95, ratio * 1.04);
}
