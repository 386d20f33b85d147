using System.Globalization;
using CnnParity.Core.Engines;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Baselines;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The main job, start to finish, for any network (ch10 or a spec): the checks of <see cref="ParitySequence"/> (forward per
/// named layer and gradients per named parameter in f64 and f32, the book rule for ch10, the engine and its twin trained in
/// lockstep with the drift per epoch); for ch10 also the book-rule run and the book rule at its trained weights; the ML.NET
/// baseline; the trained network exported to ONNX and proved equal as deployed (ch10: the book-trained weights, as the
/// book's program ends; any other spec: the lockstep engine's); and the speed measurements — gathered into one
/// <see cref="ParityReport"/> with its verdict. Writing it is <see cref="Writers.ReportFolder"/>'s job.
/// </summary>
public static class ReportPipeline
{
    public static ParityReport Run(ReportOptions options, ScratchData data, IPhaseProgress progress, CancellationToken cancel = default)
    {
        var t = options.Training;
        var setup = SpecParitySetup.FromSeed(t.Spec, data, SpecParitySettings.Of(t with { Dtype = Core.Dtype.Float64 }));
        var checks = ParitySequence.Run(setup, progress, cancel);
        var bookRule = checks.Result.BookRule.ToList();
        var others = new List<TrainingRun>();

        // What is deployed: the lockstep engine's weights, or for ch10 the book-trained ones (a run that stopped has none).
        ParameterSet<double>? deployedWeights = checks.Lockstep.Final;
        string weights = TrainedWeights(t);
        double? bookSeconds = null; // the book run's wall time, for the speed goals
        if (BookRuleAnalysis.AppliesTo(t.Spec))
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var book = progress.Phase("from-scratch engine, book rule", t.Epochs, step =>
                SpecTraining.Run(t, data, twin: false, onEpoch: (e, _) => step(Acc(e)), cancel: cancel, mode: TrainingMode.Book));
            others.Add(book.Run);
            deployedWeights = book.Final;
            weights = $"weights after {t.Epochs} book-rule epochs";
            if (book.Final is { } final)
            {
                bookSeconds = clock.Elapsed.TotalSeconds;
                bookRule.AddRange(BookRuleAnalysis.Run(setup, final, $"after {t.Epochs} book epochs"));
            }
        }
        others.Add(progress.Phase("ML.NET baseline", 1, step =>
        {
            var run = MlNetLinearBaseline.Train(data.TrainImages, data.TrainLabels, data.TestImages, data.TestLabels, (int)t.Seed);
            step(null);
            return run;
        }));

        DeployedModelSection? deployed = deployedWeights is null ? null
            : progress.Phase("deployed model (ONNX Runtime, ML.NET)", 1, step =>
            {
                var section = DeployedModelReport.Run(t.Spec, deployedWeights, new ModelProvenance(t.Seed, weights),
                    data.TestImages, data.TestLabels.AsSpan(0, t.TestCount), t.Threads);
                step(null);
                return section;
            });

        string? numPy = NumPyWorkload.Version();
        var speed = SpeedMeasurement.Run(options, data, NumPyWorkload.Unavailable(), bookSeconds, progress);
        var verdict = checks.Decide(others, deployed?.Model);
        // The book run first (ch10), then the lockstep pair, then the baseline.
        List<TrainingRun> training = [.. others.Take(others.Count - 1), checks.EngineLockstep, checks.TwinLockstep, others[^1]];
        return new ParityReport(verdict.Verdict, verdict.Reasons,
            ReportEnvironmentProbe.Read(t.Threads, numPy),
            ReportConfiguration.From(options),
            checks.Result, bookRule, training, speed, deployed);
    }

    static string Acc(EpochRecord e) => $"epoch {e.Epoch}: test {e.TestAcc:F4}";

    static string TrainedWeights(SpecTrainerOptions t) => string.Create(CultureInfo.InvariantCulture,
        $"weights after {t.Epochs} epochs of {(t.Optimizer == OptimizerSettings.Sgd ? "SGD" : t.Optimizer.ToString())} (lr {t.LearningRate}{(t.LearningRateDecay == 1 ? "" : $" decayed by {t.LearningRateDecay} an epoch")}{(t.Optimizer.IsAdam ? "" : $", momentum {t.Momentum}")}, batch {t.BatchSize}{(t.Shuffle ? ", reshuffled every epoch" : "")}) on {t.TrainCount:N0} images, from-scratch float64");
}
