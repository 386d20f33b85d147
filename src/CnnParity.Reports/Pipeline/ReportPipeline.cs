using CnnParity.Core.Scratch;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Baselines;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The main job, start to finish: forward and gradient parity (f64 and f32), the book-rule analysis,
/// training of every model, the ML.NET baseline and the speed measurements, gathered into one
/// <see cref="ParityReport"/> with its verdict. Writing it is <see cref="Writers.ReportFolder"/>'s job.
/// </summary>
public static class ReportPipeline
{
    static readonly string[] DTypes = { "f64", "f32" };

    public static ParityReport Run(ReportOptions options, ScratchData data, IPhaseProgress progress, CancellationToken cancel = default)
    {
        var config = options.Config;
        var setup = new ParitySetup(config, data);

        var forward = progress.Phase("forward parity", DTypes.Length, step =>
            DTypes.SelectMany(d => { var r = ForwardParity.Run(setup, d, config.TestCount); step(d); return r; }).ToList());
        var gradients = progress.Phase("gradient parity", DTypes.Length, step =>
            DTypes.SelectMany(d => { var r = GradientParity.Run(setup, d); step(d); return r; }).ToList());
        var bookRule = BookRuleAnalysis.Run(setup).ToList();

        ScratchNetwork? bookFinal = null;
        var training = new List<TrainingRun>
        {
            progress.Phase("scratch book", config.Epochs, step =>
                ScratchTraining.Run(config with { Mode = TrainingMode.Book }, data, e => step(Acc(e)), cancel, n => bookFinal = n)),
        };
        if (training[0].Diverged is null && bookFinal is not null)
            bookRule.AddRange(BookRuleAnalysis.Run(setup, bookFinal, $"after {config.Epochs} book epochs"));
        var lockstep = progress.Phase("lockstep (scratch + TorchSharp corrected)", config.Epochs, step =>
            LockstepTraining.Run(config, data, "f64", e => step(Acc(e)), cancel));
        training.Add(lockstep.Scratch);
        training.Add(lockstep.Twin);
        training.Add(progress.Phase("TorchSharp idiomatic", config.Epochs, step =>
            IdiomaticTraining.Run(config, data, "f64", e => step(Acc(e)), cancel)));
        training.Add(progress.Phase("ML.NET baseline", 1, step =>
        {
            var run = MlNetLinearBaseline.Train(data.TrainImages, data.TrainLabels, data.TestImages, data.TestLabels, (int)config.Seed);
            step(null);
            return run;
        }));

        string? numPy = ReportEnvironmentProbe.NumPyVersion();
        var speed = Speed(options, data, numPy is not null, progress);
        var verdict = Verdict.Decide(forward, gradients, training, Thresholds.LockstepFinalParamRelDiff);
        return new ParityReport(verdict.Verdict, verdict.Reasons,
            ReportEnvironmentProbe.Read(config.Threads, numPy),
            new ReportConfiguration(options.Dataset, (int)config.Seed, config.Kernels, config.Grid, config.Epochs, config.TrainCount,
                config.TestCount, config.BatchSize, config.Alpha, options.Quick, options.PinnedForDeterminism),
            forward, gradients, bookRule, training, speed);
    }

    static string Acc(EpochRecord e) => $"epoch {e.Epoch}: test {e.TestAcc:F4}";

    static IReadOnlyList<SpeedRow> Speed(ReportOptions options, ScratchData data, bool withNumPy, IPhaseProgress progress)
    {
        if (options.BenchRepetitions <= 0) return Array.Empty<SpeedRow>();
        var config = options.Config;
        var workloads = new List<EpochWorkload>
        {
            Workloads.Scratch(config, data),
            Workloads.ScratchFaithful(config, data),
            Workloads.Twin(config, data, "f64"),
            Workloads.Twin(config, data, "f32"),
        };
        var rows = new List<SpeedRow>();
        var timings = progress.Phase("speed", workloads.Count * options.BenchRepetitions, step =>
            EpochBench.Run(workloads, options.BenchRepetitions, name => step(name)));
        rows.AddRange(SpeedRows(timings, $"epoch (train + test of {config.TestCount})"));
        if (withNumPy && NumPyWorkload.Unavailable() is null)
        {
            // Without python3-numpy these rows are absent and the environment table says "NumPy: not available".
            // NumPy runs on its own test subset (its per-image loop is slow); compared with the scratch path on the same subset.
            var numPyConfig = config with { TestCount = Math.Min(config.TestCount, options.NumPyTests) };
            var numPyWorkloads = new List<EpochWorkload>
            {
                Workloads.Scratch(numPyConfig, data),
                NumPyWorkload.Create(numPyConfig, options.DataFolder, perImageTest: false),
                NumPyWorkload.Create(numPyConfig, options.DataFolder, perImageTest: true),
            };
            var numPyTimings = progress.Phase("speed (NumPy)", numPyWorkloads.Count * options.BenchRepetitions, step =>
                EpochBench.Run(numPyWorkloads, options.BenchRepetitions, name => step(name)));
            rows.AddRange(SpeedRows(numPyTimings, $"epoch (train + test of {numPyConfig.TestCount})"));

        }
        return rows;
    }

    static IEnumerable<SpeedRow> SpeedRows(IReadOnlyList<EpochTimings> timings, string work)
    {
        double fastest = timings.Min(t => EpochBench.Median(t.Epoch));
        return timings.Select(t => new SpeedRow(t.Implementation, work, t.Epoch.Count,
            EpochBench.Median(t.Epoch), t.Epoch.Min(), t.Epoch.Max(), EpochBench.Median(t.Epoch) / fastest));
    }
}
