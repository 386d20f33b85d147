using CnnParity.Testing.Rendering;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// The four tensors of one check — the golden's float32 and float64 (g32, g64), the port's float32 and float64
/// (p32, p64) — judged as <see cref="TruthJudgement"/> describes: g64 is the truth T once p64 agrees with it in
/// float64; each float32 side is then held within assert_close-f32 + κ·(the other side's distance from T).
/// </summary>
internal static class TruthJudge
{
    /// <summary>The name every truth-judged check's tolerance carries (its atol differs per tensor).</summary>
    public const string ToleranceName = "f64-truth";

    /// <summary>One tensor's four values, flattened to float64 (each float32 value is exact in float64).</summary>
    public sealed record Values(double[] Golden32, double[] Golden64, double[] Port32, double[] Port64);

    /// <param name="stage">forward, loss, gradient or step N</param>
    /// <param name="name">the golden's name of the tensor</param>
    /// <param name="shape">its shape</param>
    /// <param name="dtype">the golden's float32 dtype</param>
    /// <param name="f32">the base of every bound: assert_close's float32 tolerance unless the caller gave one</param>
    /// <param name="v">the four tensors</param>
    /// <param name="portFlips">elements decided by rounding on the port's side in the whole forward pass (for gradients and steps)</param>
    /// <param name="goldenFlips">the same on PyTorch's side</param>
    public static ParityCheck Judge(string stage, string name, IReadOnlyList<long> shape, ScalarType dtype, Tolerance f32, Values v, long portFlips, long goldenFlips)
    {
        var f64 = Tolerance.Float64;
        double[] t = v.Golden64;
        bool forward = stage == "forward";
        double goldenRounding = MaxAbs(v.Golden32, t), portRounding = MaxAbs(v.Port32, t);
        var portSide = Side(v.Port32, t, f32, TruthJudgement.Kappa * goldenRounding, shape, forward);
        var goldenSide = Side(v.Golden32, t, f32, TruthJudgement.Kappa * portRounding, shape, forward);
        // NaN against NaN agrees: a training step that overflowed on both sides in float64 is the same function.
        var meter = new DistanceMeter(f64, ScalarType.Float64, equalNan: true);
        meter.Add(v.Port64, t);
        var float64 = meter.Result;
        bool agrees = float64.Mismatched == 0;
        string where = $"{name} (f32)";
        string golden = $"golden: {Show.Sci(goldenSide.MaxAbs)} ({(goldenSide.Within ? "within" : Show.Sci(goldenSide.RatioToBound) + "× its bound")})";

        string? blamed;
        string reason;
        long excused = 0;
        if (!agrees)
        {
            // g64 and p64 disagree: the float32 results say which float64 side left the common function.
            bool p32p64 = Close(v.Port32, v.Port64, f32), g32g64 = Close(v.Golden32, t, f32), g32p32 = Close(v.Golden32, v.Port32, f32);
            string gap = $"the float64 port is {Show.Sci(float64.MaxAbs)} from the float64 golden at {At(float64.MaxAbsAt, shape)}";
            (blamed, reason) = (g32p32 && p32p64 && !g32g64, g32p32 && g32g64 && !p32p64, p32p64 && g32g64) switch
            {
                (true, _, _) => ("golden", $"golden {name}: its float64 shadow is off ({gap}), while PyTorch's float32 agrees with the port in both precisions"),
                (_, true, _) => ("port", $"port {name} (float64 path): {gap}, while its float32 agrees with PyTorch in both precisions"),
                (_, _, true) => ("port", $"port {name}: computes another function ({gap}; each side's float32 agrees with its own float64)"),
                _ => ("port", $"port {name}: {gap}; the float32 results do not say which side is off"),
            };
        }
        else if (portSide.Within && goldenSide.Within)
        {
            (blamed, reason) = (null, $"port {Show.Sci(portSide.MaxAbs)} from the float64 truth ({Show.Sci(portSide.RatioToBound)}× its bound); {golden}");
            excused = forward ? portSide.DecidedByRounding : 0;
        }
        else if (!forward && !portSide.Within && portFlips > 0 && (goldenSide.Within || goldenFlips > 0))
        {
            // A kink taken the other way moves a gradient by far more than rounding; the float64 check above passed.
            (blamed, reason) = (null, $"decided by rounding ({Show.Int(portFlips)} elements): port {Show.Sci(portSide.MaxAbs)} from the float64 truth, " +
                                      $"{Show.Sci(portSide.RatioToBound)}× its bound; float64 agrees ({Show.Sci(float64.MaxAbs)})");
            excused = portFlips;
        }
        else if (!forward && portSide.Within && goldenFlips > 0)
        {
            (blamed, reason) = (null, $"decided by rounding on PyTorch's side ({Show.Int(goldenFlips)} elements): {golden}; port within");
        }
        else if (!portSide.Within && (goldenSide.Within || portSide.RatioToBound >= goldenSide.RatioToBound))
        {
            blamed = "port";
            reason = $"port {where}: {Show.Sci(portSide.MaxAbs)} from the float64 truth at {PythonRepr.Tuple(portSide.At)}, " +
                     $"{Show.Sci(portSide.RatioToBound)}× its rounding bound; {golden}";
        }
        else
        {
            blamed = "golden";
            reason = $"golden {where}: {Show.Sci(goldenSide.MaxAbs)} from the float64 truth at {PythonRepr.Tuple(goldenSide.At)}, " +
                     $"{Show.Sci(goldenSide.RatioToBound)}× its rounding bound; port: {Show.Sci(portSide.MaxAbs)} (within)";
        }

        var bound = Bound(f32, TruthJudgement.Kappa * goldenRounding);
        var distance = DistanceMeter.Measure(v.Port32, t, bound, ScalarType.Float32);
        var judgement = new TruthJudgement(portSide, goldenSide, float64.MaxAbs, agrees, blamed, reason) { DecidedByRounding = excused };
        return new ParityCheck(stage, name, shape, dtype, distance, bound, blamed is null) { Truth = judgement };
    }

    /// <summary>assert_close-f32 with its atol widened by κ times the other side's rounding on this tensor.</summary>
    public static Tolerance Bound(Tolerance f32, double widening) =>
        new(ToleranceName, f32.Rtol, f32.Atol + widening,
            $"float32 against the float64 truth: {f32.Name} plus κ = {TruthJudgement.Kappa:0} × the other side's largest distance from the truth on the same tensor");

    static TruthSide Side(double[] x, double[] t, Tolerance f32, double widening, IReadOnlyList<long> shape, bool countFlips)
    {
        double worst = 0, ratio = 0;
        long at = 0, flips = 0;
        for (int i = 0; i < x.Length; i++)
        {
            double d = BothNaN(x[i], t[i]) ? 0 : Math.Abs(x[i] - t[i]);
            double bound = f32.Atol + widening + f32.Rtol * Math.Abs(t[i]);
            // The other side's NaN leaves no bound to hold this side to: it is the other side that is off.
            double r = double.IsNaN(d) ? double.PositiveInfinity : double.IsNaN(bound) ? 0 : d / bound;
            if (d > worst || double.IsNaN(d)) (worst, at) = (double.IsNaN(d) ? double.PositiveInfinity : d, i);
            if (r > ratio) ratio = r;
            // A kink's decision: zero (ReLU, max-pool over a ReLU) or six (ReLU6) on one side only.
            if (countFlips && r <= 1 && ((x[i] == 0) != (t[i] == 0) || (x[i] == 6) != (t[i] == 6))) flips++;
        }
        return new TruthSide(worst, x.Length == 0 ? [] : PythonRepr.Unravel(at, shape), ratio, flips);
    }

    /// <summary>
    /// Elements of one run's forward outputs that float32 put on the other side of a kink (zero against non-zero,
    /// or ReLU6's six) than float64 did, within <paramref name="f32"/> of each other: kinks decided by rounding.
    /// Outputs pair by name; torch_golden.py counts PyTorch's the same way.
    /// </summary>
    public static long Flips(IEnumerable<(string Name, Tensor Output)> outputs32, IEnumerable<(string Name, Tensor Output)> outputs64, Tolerance f32)
    {
        var reference = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, t) in outputs64) reference.TryAdd(name, t);
        long flips = 0;
        foreach (var (name, output) in outputs32)
        {
            if (!reference.TryGetValue(name, out var other) || !output.shape.SequenceEqual(other.shape) || !output.is_floating_point()) continue;
            using var scope = NewDisposeScope();
            var a = output.to_type(ScalarType.Float64);
            var b = other.to_type(ScalarType.Float64);
            var near = (a - b).abs() <= f32.Atol + f32.Rtol * b.abs();
            var kink = (a == 0).logical_xor(b == 0).logical_or((a == 6).logical_xor(b == 6));
            flips += near.logical_and(kink).sum().item<long>();
        }
        return flips;
    }

    static double MaxAbs(double[] a, double[] b)
    {
        double m = 0;
        for (int i = 0; i < a.Length; i++)
            if (!BothNaN(a[i], b[i])) m = Math.Max(m, Math.Abs(a[i] - b[i])); // a NaN against a number makes m NaN: no bound
        return m;
    }

    static bool BothNaN(double a, double b) => double.IsNaN(a) && double.IsNaN(b);

    static bool Close(double[] a, double[] b, Tolerance tolerance)
    {
        for (int i = 0; i < a.Length; i++)
            if (!tolerance.Accepts(a[i], b[i], equalNan: true)) return false;
        return true;
    }

    static string At(ElementDifference? e, IReadOnlyList<long> shape) => e is null ? "()" : PythonRepr.Tuple(PythonRepr.Unravel(e.Index, shape));
}
