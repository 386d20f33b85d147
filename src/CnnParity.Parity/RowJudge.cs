using System.Globalization;
using CnnParity.Core;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Testing;
using CnnParity.Torch.Twin;

namespace CnnParity.Parity;

/// <summary>
/// The one place where a check row is compared and judged, for every network (ch10 and any spec alike): a forward row
/// (one layer's output, twin against engine, over one batch or chunk by chunk over the test images), a gradient row (one
/// parameter's gradient, one source against another) and a lockstep epoch (the drift between engine and twin against
/// its limit). The checks gather the numbers; whether they pass, and the one line that says why not, is decided here.
/// </summary>
public sealed class RowJudge
{
    readonly Tolerance tolerance;
    readonly Dtype dtype;
    readonly DistanceMeter meter;

    /// <summary>A row of <paramref name="dtype"/> values held to <paramref name="tolerance"/>, filled by <see cref="Add"/>.</summary>
    public RowJudge(Tolerance tolerance, Dtype dtype)
    {
        this.tolerance = tolerance;
        this.dtype = dtype;
        meter = new DistanceMeter(tolerance, TwinDtype.Of(dtype));
    }

    /// <summary>Adds the next chunk of <paramref name="actual"/> values (the twin's, or the source under test) against <paramref name="expected"/>.</summary>
    public void Add(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected) => meter.Add(actual, expected);

    /// <summary>The forward row of what was added.</summary>
    public LayerComparison Layer(string layer, string scope) => new(layer, dtype, scope, meter.Result, tolerance, meter.Pass);

    /// <summary>The gradient row of what was added (<paramref name="checkedCount"/>: elements compared).</summary>
    public GradientComparison Gradient(string tensor, string pair, int checkedCount) =>
        new(tensor, dtype, pair, meter.Result, tolerance, meter.Pass, checkedCount);

    /// <summary>One layer's output on one batch: <paramref name="twin"/> against <paramref name="engine"/>.</summary>
    public static LayerComparison Layer(string layer, Dtype dtype, string scope, ReadOnlySpan<double> twin, ReadOnlySpan<double> engine, Tolerance tolerance)
    {
        var row = new RowJudge(tolerance, dtype);
        row.Add(twin, engine);
        return row.Layer(layer, scope);
    }

    /// <summary>One parameter's gradient: <paramref name="actual"/> against <paramref name="expected"/>.</summary>
    public static GradientComparison Gradient(string tensor, Dtype dtype, string pair, ReadOnlySpan<double> actual, ReadOnlySpan<double> expected,
        Tolerance tolerance)
    {
        var row = new RowJudge(tolerance, dtype);
        row.Add(actual, expected);
        return row.Gradient(tensor, pair, actual.Length);
    }

    /// <summary>
    /// Whether a lockstep epoch's drift is within <paramref name="limit"/>, or, where rounding alone has carried the run
    /// further, within <see cref="Tolerances.SpecLockstepSensitivityFactor"/> times the engine's own sensitivity
    /// (<see cref="LockstepEpoch.Allowance"/>). NaN is never within it.
    /// </summary>
    public static bool Accepts(LockstepEpoch epoch, double limit) => epoch.Drift <= epoch.Allowance(limit);

    /// <summary>Why a forward row failed, in one line.</summary>
    public static string Reason(LayerComparison f) =>
        $"forward {f.Layer} ({f.Dtype.ShortName()}, {f.Scope}): max abs {G(f.Distance.MaxAbs)}, max rel {G(f.Distance.MaxRel)} outside {f.Tolerance.Name}";

    /// <summary>Why a gradient row failed, in one line.</summary>
    public static string Reason(GradientComparison g) =>
        $"gradient {g.Tensor} ({g.Dtype.ShortName()}, {g.Pair}): max abs {G(g.Distance.MaxAbs)}, max rel {G(g.Distance.MaxRel)} outside {g.Tolerance.Name}";

    /// <summary>Why a lockstep epoch failed, in one line.</summary>
    public static string Reason(LockstepEpoch e, double limit) =>
        $"lockstep drift {G(e.Drift)} after epoch {e.Epoch} exceeds {G(e.Allowance(limit))}" +
        (e.Sensitivity is double sensitivity ? $" (the larger of {G(limit)} and {G(Tolerances.SpecLockstepSensitivityFactor)} × the engine's own sensitivity {G(sensitivity)})" : "");

    /// <summary>Every failed row of one network's checks, one line each: forward, then gradients, then the first epoch that drifted too far.</summary>
    public static IEnumerable<string> Reasons(IEnumerable<LayerComparison> forward, IEnumerable<GradientComparison> gradients,
        IEnumerable<LockstepEpoch> lockstep, double? limit)
    {
        foreach (var f in forward.Where(f => !f.Pass)) yield return Reason(f);
        foreach (var g in gradients.Where(g => !g.Pass)) yield return Reason(g);
        if (limit is double l && lockstep.FirstOrDefault(e => !Accepts(e, l)) is { } drifted) yield return Reason(drifted, l);
    }

    static string G(double x) => x.ToString("G3", CultureInfo.InvariantCulture);
}
