using CnnParity.Core;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The checks in their one order: forward → gradients → the book rule (ch10) → lockstep; the verdict follows
/// (<see cref="ParityChecks.Decide"/>). <c>parity</c> runs this alone and <c>report</c> runs it before training, deploying
/// and timing the rest, so the two can never check different things or in another order.
/// </summary>
public static class ParitySequence
{
    /// <summary>
    /// The chapter-10 network: forward and gradients in each of <paramref name="dtypes"/>, the book rule at initialisation,
    /// then the corrected lockstep run against a twin in <paramref name="lockstepDtype"/>.
    /// </summary>
    public static ParityChecks Chapter10(ParitySetup setup, IReadOnlyList<Dtype> dtypes, Dtype lockstepDtype, IPhaseProgress progress,
        CancellationToken cancel = default)
    {
        var config = setup.Config;
        var forward = progress.Phase("forward parity", dtypes.Count, step =>
            dtypes.SelectMany(d => { var r = ForwardParity.Run(setup, d, config.TestCount); step(d.ShortName()); return r; }).ToList());
        var gradients = progress.Phase("gradient parity", dtypes.Count, step =>
            dtypes.SelectMany(d => { var r = GradientParity.Run(setup, d); step(d.ShortName()); return r; }).ToList());
        var bookRule = BookRuleAnalysis.Run(setup);
        var lockstep = progress.Phase("lockstep (scratch + TorchSharp corrected)", config.Epochs, step =>
            LockstepTraining.Run(config, setup.Data, lockstepDtype, e => step(Epoch(e)), cancel));
        return new ParityChecks(forward, gradients, bookRule, lockstep.Scratch, lockstep.Twin, Tolerances.LockstepDrift(lockstepDtype));
    }

    /// <summary>
    /// Any other spec: forward per named layer and gradients per named parameter in float64 and float32, then the lockstep
    /// run of the engine and its twin in the settings' dtype, drift per epoch.
    /// </summary>
    public static ParityChecks Spec(SpecParitySetup setup, IPhaseProgress progress, CancellationToken cancel = default)
    {
        var forward = new List<LayerComparison>();
        var gradients = new List<GradientComparison>();
        foreach (var dtype in new[] { Dtype.Float64, Dtype.Float32 })
        {
            forward.AddRange(progress.Phase($"forward parity ({dtype.ShortName()})", 1, step => { var r = SpecForwardParity.Run(setup, dtype); step(null); return r; }));
            gradients.AddRange(progress.Phase($"gradient parity ({dtype.ShortName()})", 1, step => { var r = SpecGradientParity.Run(setup, dtype); step(null); return r; }));
        }
        var lockstep = progress.Phase("lockstep", setup.Settings.LockstepEpochs, step =>
            SpecLockstep.Run(setup, e => step($"epoch {e.Epoch}: test {e.EngineTestAcc:F4} / {e.TwinTestAcc:F4}, drift {e.Drift:G3}"), cancel));
        var dtypeOfRun = setup.Settings.LockstepDtype;
        return new ParityChecks(forward, gradients, [], lockstep.Engine, lockstep.Twin, Tolerances.SpecLockstepDrift(dtypeOfRun), lockstep);
    }

    static string Epoch(EpochRecord e) => $"epoch {e.Epoch}: test {e.TestAcc:F4}, max param rel diff {e.MaxParamRelDiff:G3}";
}
