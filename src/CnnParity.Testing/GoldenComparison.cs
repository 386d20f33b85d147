using System.Globalization;
using CnnParity.Testing.Rendering;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// The port's run against the golden's, check by check in the golden's execution order: forward outputs (by name,
/// else aligned by value), the loss, gradients (in the order their modules ran), then each step's loss, parameters
/// and buffers. With both float64 runs the float32 checks are decided by <see cref="TruthJudge"/>; without them,
/// by the tolerance as assert_close would.
/// </summary>
internal sealed class GoldenComparison(RunRecord port32, RunRecord? port64, RunRecord golden32, RunRecord? golden64, ParityOptions options)
{
    readonly Dictionary<Tensor, double[]> values = new(ReferenceEqualityComparer.Instance);
    readonly Dictionary<string, Tensor> port32Outputs = Index(port32.Forward.Outputs);
    readonly Dictionary<string, Tensor> port64Outputs = Index(port64?.Forward.Outputs ?? []);
    long portFlips, goldenFlips;        // kinks decided by rounding in the recorded pass, each side
    long stepPortFlips, stepGoldenFlips; // and in the steps' forward passes so far

    bool Shadowed => port64 is not null && golden64 is not null;

    public ParityResult Run(string title, List<string> notes)
    {
        var checks = new List<ParityCheck>();
        var portForward = port32.Forward;
        if (portForward.Failure is not null) notes.Add($"The actual forward or backward threw: {portForward.Failure}");
        notes.AddRange(portForward.Unobserved.Select(u => "actual: " + u));
        int ignored = 0;
        bool Ignored(string name)
        {
            bool skip = options.Ignore?.Any(p => Glob.IsMatch(p, name)) == true;
            if (skip) ignored++;
            return skip;
        }

        // Forward outputs, by name, else by value.
        var used = new HashSet<string>(StringComparer.Ordinal);
        string notReached = portForward.Failure is null ? "never observed: is it invoked with call(x) rather than forward(x)?" : "not reached: the pass threw before it";
        var goldenOutputs = golden32.Forward.Outputs;
        for (int i = 0; i < goldenOutputs.Count; i++)
        {
            var (name, g32) = goldenOutputs[i];
            if (Ignored(name)) continue;
            var g64 = golden64?.Forward.Outputs[i].Output;
            string own = Glob.Rename(options.Rename, name) ?? name;
            ParityCheck check;
            if (port32Outputs.TryGetValue(own, out var p32))
            {
                used.Add(own);
                check = Check("forward", name, p32, port64Outputs.GetValueOrDefault(own), g32, g64, notReached);
            }
            else
            {
                check = Align(name, g32, g64, used);
                if (!check.Pass && portForward.Failure is not null) check = Check("forward", name, null, null, g32, g64, notReached);
            }
            if (check.Truth is { } t)
            {
                portFlips += t.Port.DecidedByRounding;
                goldenFlips += t.Golden.DecidedByRounding;
            }
            checks.Add(check);
        }
        var unmatched = port32.Forward.Outputs.Select(o => o.Name).Where(n => !used.Contains(n)).ToList();
        if (unmatched.Count > 0 && portForward.Failure is null)
            notes.Add($"Port outputs nothing in the golden matches ({unmatched.Count}): {string.Join(", ", unmatched.Take(12))}{(unmatched.Count > 12 ? ", …" : "")}");

        checks.Add(Check("loss", "loss", portForward.Loss, port64?.Forward.Loss, golden32.Forward.Loss!, golden64?.Forward.Loss, "not computed: the pass threw"));

        // Gradients, in the order their owners ran.
        var order = goldenOutputs.Select((o, i) => (o.Name, i)).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().i);
        var gradients = Gradients(portForward.Gradients);
        var gradients64 = Gradients(port64?.Forward.Gradients ?? []);
        var golden64Gradients = Gradients(golden64?.Forward.Gradients ?? []);
        var ordered = golden32.Forward.Gradients.Select((g, i) => (g.Name, g.Gradient, Definition: i))
            .OrderBy(g => order.GetValueOrDefault(Owner(g.Name), int.MaxValue)).ThenBy(g => g.Definition);
        foreach (var (name, gradient, _) in ordered)
        {
            if (gradient is null || Ignored(name)) continue; // the reference has no gradient for it either way
            string why = portForward.Failure is not null ? "not computed: the pass threw"
                : portForward.Gradients.Any(g => g.Name == name) ? "no gradient: does the forward use this parameter?" : "no parameter of this name";
            checks.Add(Check("gradient", name, gradients.GetValueOrDefault(name), gradients64.GetValueOrDefault(name), gradient,
                golden64Gradients.GetValueOrDefault(name), why));
        }

        // Training steps.
        if (portForward.Failure is null)
        {
            for (int k = 0; k < golden32.Steps.Count; k++)
            {
                string stage = "step " + (k + 1).ToString(CultureInfo.InvariantCulture);
                if (k >= port32.Steps.Count)
                {
                    notes.Add($"The actual model threw at {port32.StepFailure ?? stage}");
                    break;
                }
                var (p, g) = (port32.Steps[k], golden32.Steps[k]);
                stepPortFlips += p.DecidedByRounding;
                stepGoldenFlips += g.DecidedByRounding;
                var p64 = port64 is not null && k < port64.Steps.Count ? port64.Steps[k] : null;
                var g64 = golden64?.Steps[k];
                checks.Add(Check(stage, "loss", p.Loss, p64?.Loss, g.Loss, g64?.Loss, "missing"));
                var own = Index(p.Values);
                var own64 = Index(p64?.Values ?? []);
                var shadow = Index(g64?.Values ?? []);
                foreach (var (name, value) in g.Values)
                    if (!Ignored(name))
                        checks.Add(Check(stage, name, own.GetValueOrDefault(name), own64.GetValueOrDefault(name), value, shadow.GetValueOrDefault(name),
                            "no parameter or buffer of this name"));
            }
        }
        if (ignored > 0) notes.Add($"Ignored as asked: {ignored} golden tensors matching {string.Join(", ", options.Ignore!)}");
        return new ParityResult(title, checks, notes);

        static string Owner(string parameter) => parameter.LastIndexOf('.') is int dot and >= 0 ? parameter[..dot] : "";
    }

    /// <summary>
    /// A golden output no port output of its name answers: the port output of the same shape whose values pass the
    /// check, nearest in the module tree (longest common dotted prefix), then nearest in value.
    /// </summary>
    ParityCheck Align(string name, Tensor g32, Tensor? g64, HashSet<string> used)
    {
        string[] path = Base(name).Split('.');
        var tried = new List<(string Name, int Related, ParityCheck Check)>();
        foreach (var (candidate, p32) in port32.Forward.Outputs)
        {
            if (!p32.shape.SequenceEqual(g32.shape) || tried.Any(t => t.Name == candidate)) continue;
            var check = Check("forward", name, p32, port64Outputs.GetValueOrDefault(candidate), g32, g64, "missing");
            tried.Add((candidate, Related(path, candidate.Split('.')), check));
        }
        var best = tried.Where(t => t.Check.Pass).OrderByDescending(t => t.Related).ThenBy(t => Distance(t.Check)).FirstOrDefault();
        if (best.Check is not null)
        {
            used.Add(best.Name);
            return best.Check with { MatchedByValue = best.Name };
        }
        string closest = tried.Count == 0 ? $"no port output has shape {PythonRepr.Tuple(g32.shape)}"
            : "closest: " + string.Join(", ", tried.OrderBy(t => Distance(t.Check)).Take(3)
                .Select(t => $"{t.Name} {PythonRepr.Tuple(t.Check.Shape)} {Show.Sci(Distance(t.Check))}"));
        return new ParityCheck("forward", name, g32.shape, g32.dtype, null, Tolerance.For(g32.dtype), false,
            $"no port output of this name or value ({closest}); is it invoked with call(x) rather than forward(x)?");

        static string Base(string n) => n.IndexOf('#', StringComparison.Ordinal) is int h and >= 0 ? n[..h] : n;

        static int Related(string[] a, string[] b)
        {
            int n = 0;
            while (n < a.Length && n < b.Length && a[n] == b[n]) n++;
            return n;
        }
    }

    static double Distance(ParityCheck c) => c.Distance?.MaxAbs ?? double.PositiveInfinity;

    ParityCheck Check(string stage, string name, Tensor? p32, Tensor? p64, Tensor g32, Tensor? g64, string missing)
    {
        bool floating = is_floating_point(g32.dtype);
        if (!Shadowed || g64 is null || p64 is null || p32 is null || !floating || !p32.shape.SequenceEqual(g32.shape) || !p64.shape.SequenceEqual(g32.shape))
            return TensorCheck.Compare(stage, name, p32, g32, options.Tolerance, missing);
        // Forward outputs are kept as arrays: alignment by value reads a port output once per golden output it may answer.
        bool keep = stage == "forward";
        var v = new TruthJudge.Values(Values(g32, keep), Values(g64, keep), Values(p32, keep), Values(p64, keep));
        return TruthJudge.Judge(stage, name, g32.shape, g32.dtype, options.Tolerance ?? Tolerance.For(g32.dtype), v,
            portFlips + stepPortFlips, goldenFlips + stepGoldenFlips);
    }

    double[] Values(Tensor t, bool keep)
    {
        if (values.TryGetValue(t, out var v)) return v;
        using var scope = NewDisposeScope();
        v = t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
        if (keep) values[t] = v;
        return v;
    }

    static Dictionary<string, Tensor> Index(IEnumerable<(string Name, Tensor Value)> named) => Gradients(named.Select(n => (n.Name, (Tensor?)n.Value)));

    /// <summary>Named tensors by name, leaving out the missing ones (a parameter without a gradient).</summary>
    static Dictionary<string, Tensor> Gradients(IEnumerable<(string Name, Tensor? Value)> named)
    {
        var index = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, value) in named)
            if (value is not null) index.TryAdd(name, value);
        return index;
    }
}
