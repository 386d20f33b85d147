using CnnParity.Core;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;

namespace CnnParity.Reports.Pipeline;

/// <summary>
/// The checks of any network (ch10 or a spec) in their one order: forward → gradients (float64, then float32) → the book
/// rule (ch10's extra) → lockstep; the verdict follows (<see cref="ParityChecks.Decide"/>). <c>parity</c> runs this alone
/// and <c>report</c> runs it before training, deploying and timing the rest, so the two can never check different things
/// or in another order.
/// </summary>
public static class ParitySequence
{
    static readonly Dtype[] DTypes = [Dtype.Float64, Dtype.Float32];

    /// <summary>
    /// Forward per named layer and gradients per named parameter in float64 and float32, the book rule at initialisation
    /// where it applies (<see cref="BookRuleAnalysis.AppliesTo"/>), then the lockstep run of the engine and its twin in the
    /// settings' dtype, drift per epoch.
    /// </summary>
    public static ParityChecks Run(SpecParitySetup setup, IPhaseProgress progress, CancellationToken cancel = default)
    {
        var forward = new List<TriagedCheck>();
        var gradients = new List<TriagedCheck>();
        foreach (var dtype in DTypes)
        {
            forward.AddRange(progress.Phase($"forward parity ({dtype.ShortName()})", 1, step => { var r = SpecForwardParity.Run(setup, dtype); step(null); return r; }));
            gradients.AddRange(progress.Phase($"gradient parity ({dtype.ShortName()})", 1, step => { var r = SpecGradientParity.Run(setup, dtype); step(null); return r; }));
        }
        var bookRule = BookRuleAnalysis.AppliesTo(setup.Spec) ? BookRuleAnalysis.Run(setup) : [];
        var lockstep = progress.Phase("lockstep", setup.Settings.LockstepEpochs, step =>
            SpecLockstep.Run(setup, e => step($"epoch {e.Epoch}: test {e.EngineTestAcc:F4} / {e.TwinTestAcc:F4}, drift {e.Drift:G3}"), cancel));
        var result = new SpecParityResult(null, setup.Spec.DisplayName, forward, [.. gradients, .. lockstep.FirstStep], lockstep.Epochs,
            setup.Tolerances.Lockstep(setup.Settings.LockstepDtype).Limit, lockstep.Problem)
        {
            Text = setup.Spec.Preset is null ? null : setup.Spec.Text,
            BookRule = bookRule,
            Flips = lockstep.Twin.Flips ?? [],
        };
        return new ParityChecks(result, lockstep);
    }
}
