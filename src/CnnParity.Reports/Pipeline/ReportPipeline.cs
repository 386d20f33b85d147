using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Parity;
using CnnParity.Parity.Deployed;
using CnnParity.Parity.Results;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Baselines;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The main job, start to finish: the checks of <see cref="ParitySequence"/> (forward and gradient parity in f64 and
/// f32, the book-rule analysis, lockstep), training of every other model, the ML.NET baseline, the deployed model and
/// the speed measurements, gathered into one <see cref="ParityReport"/> with its verdict. Writing it is <see cref="Writers.ReportFolder"/>'s job.
/// </summary>
public static class ReportPipeline
{
    static readonly Dtype[] DTypes = [Dtype.Float64, Dtype.Float32];

    public static ParityReport Run(ReportOptions options, ScratchData data, IPhaseProgress progress, CancellationToken cancel = default)
    {
        var config = options.Config;
        var setup = new ParitySetup(config, data);
        var checks = ParitySequence.Chapter10(setup, DTypes, Dtype.Float64, progress, cancel);
        var bookRule = checks.BookRule.ToList();

        ScratchNetwork bookFinal = null!; // set when the run ends, diverged or not
        var bookClock = System.Diagnostics.Stopwatch.StartNew();
        var bookRun = progress.Phase("scratch book", config.Epochs, step =>
            ScratchTraining.Run(config with { Mode = TrainingMode.Book }, data, e => step(Acc(e)), cancel, n => bookFinal = n));
        double? bookSeconds = null; // the whole run's wall time, for the speed goals
        if (bookRun.Diverged is null)
        {
            bookSeconds = bookClock.Elapsed.TotalSeconds;
            bookRule.AddRange(BookRuleAnalysis.Run(setup, bookFinal, $"after {config.Epochs} book epochs"));
        }
        var training = new List<TrainingRun> { bookRun, checks.ScratchLockstep, checks.TwinLockstep };
        training.Add(progress.Phase("TorchSharp idiomatic", config.Epochs, step =>
            IdiomaticTraining.Run(config, data, Dtype.Float64, e => step(Acc(e)), cancel)));
        training.Add(progress.Phase("ML.NET baseline", 1, step =>
        {
            var run = MlNetLinearBaseline.Train(data.TrainImages, data.TrainLabels, data.TestImages, data.TestLabels, (int)config.Seed);
            step(null);
            return run;
        }));

        // The book-trained network, exported to ONNX as a user would deploy it (a diverged run has nothing to deploy).
        DeployedModelSection? deployed = bookRun.Diverged is not null ? null
            : progress.Phase("deployed model (ONNX Runtime, ML.NET)", 1, step =>
            {
                var spec = ArchitectureSpec.Chapter10(config.NumKernels, config.Grid);
                var section = DeployedModelReport.Run(spec, NotebookParameters.FromNotebook(spec, bookFinal),
                    new ModelProvenance(config.Seed, $"weights after {config.Epochs} book-rule epochs"),
                    data.TestImages, data.TestLabels.AsSpan(0, config.TestCount), config.Threads);
                step(null);
                return section;
            });

        string? numPy = NumPyWorkload.Version();
        var speed = SpeedMeasurement.Run(options, data, numPy is not null, bookSeconds, progress);
        var verdict = checks.Decide(training, deployed?.Model);
        return new ParityReport(verdict.Verdict, verdict.Reasons,
            ReportEnvironmentProbe.Read(config.Threads, numPy),
            ReportConfiguration.From(config, options.Dataset, options.Quick, options.PinnedForDeterminism, options.Exp),
            checks.Forward, checks.Gradients, bookRule, training, speed, deployed);
    }

    static string Acc(EpochRecord e) => $"epoch {e.Epoch}: test {e.TestAcc:F4}";
}
