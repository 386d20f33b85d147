using System.Globalization;
using CnnParity.Core;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Speed;
using CnnParity.Reports.Baselines;
using CnnParity.Reports.Model;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The main job for any spec other than ch10: the checks of <see cref="ParitySequence.Spec"/> (forward per named layer
/// and gradients per named parameter in f64 and f32, the engine and its twin trained in lockstep in float64 with the
/// drift per epoch), the ML.NET baseline, the trained network exported to ONNX and proved equal as deployed, and the
/// speed of the engine against its twin, gathered into one <see cref="ParityReport"/> with its verdict.
/// </summary>
public static class SpecReportPipeline
{
    public static ParityReport Run(SpecReportOptions options, ScratchData data, IPhaseProgress progress, CancellationToken cancel = default)
    {
        var t = options.Training;
        var settings = new SpecParitySettings(t.Seed, t.BatchSize, t.TestCount, SpecParitySettings.ArchFiniteDifferenceSample, t.Threads,
            t.Epochs, t.TrainCount, t.LearningRate, t.Momentum, Dtype.Float64, t.Exp, t.Shuffle, t.LearningRateDecay);
        var checks = ParitySequence.Spec(SpecParitySetup.FromSeed(t.Spec, data, settings), progress, cancel);
        var training = new List<TrainingRun> { checks.ScratchLockstep, checks.TwinLockstep };
        training.Add(progress.Phase("ML.NET baseline", 1, step =>
        {
            var run = MlNetLinearBaseline.Train(data.TrainImages, data.TrainLabels, data.TestImages, data.TestLabels, (int)t.Seed);
            step(null);
            return run;
        }));

        // The network as trained, exported to ONNX as a user would deploy it (a run that stopped has nothing to deploy).
        DeployedModelSection? deployed = checks.SpecLockstep!.Final is not { } final ? null
            : progress.Phase("deployed model (ONNX Runtime, ML.NET)", 1, step =>
            {
                var section = DeployedModelReport.Run(t.Spec, final, new ModelProvenance(t.Seed, TrainedWeights(t)),
                    data.TestImages, data.TestLabels.AsSpan(0, t.TestCount), t.Threads);
                step(null);
                return section;
            });

        var speed = SpeedMeasurement.Run(options, data, progress);
        var verdict = checks.Decide(training, deployed?.Model);
        return new ParityReport(verdict.Verdict, verdict.Reasons,
            ReportEnvironmentProbe.Read(t.Threads, NumPyWorkload.Version()),
            ReportConfiguration.From(t, options.Dataset, options.Quick, options.PinnedForDeterminism, options.Exp),
            checks.Forward, checks.Gradients, [], training, speed, deployed);
    }

    static string TrainedWeights(Core.Engines.SpecTrainerOptions t) => string.Create(CultureInfo.InvariantCulture,
        $"weights after {t.Epochs} epochs of SGD (lr {t.LearningRate}{(t.LearningRateDecay == 1 ? "" : $" decayed by {t.LearningRateDecay} an epoch")}, momentum {t.Momentum}, batch {t.BatchSize}{(t.Shuffle ? ", reshuffled every epoch" : "")}) on {t.TrainCount:N0} images, from-scratch float64");
}
