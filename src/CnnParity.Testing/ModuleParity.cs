using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// Holds a TorchSharp module against a reference — another module, or a PyTorch golden file — on the same input:
/// every named submodule's output (seen by forward hooks, in execution order), the loss, and every named
/// parameter's gradient (in the execution order of the submodule that owns it). The result marks the first
/// check that breaks tolerance: the place the port went wrong.
/// </summary>
/// <remarks>
/// Hooks see a submodule only when it is invoked with <c>call(x)</c> (PyTorch's <c>module(x)</c>); one invoked
/// with <c>forward(x)</c> runs unseen and is reported as never observed. Start both modules from the same weights
/// (<c>actual.load_state_dict(expected.state_dict())</c>) and put modules with dropout in <c>eval()</c> mode.
/// </remarks>
public static class ModuleParity
{
    /// <summary>Compares <paramref name="actual"/> with <paramref name="expected"/> on <paramref name="input"/>.</summary>
    /// <param name="actual">the port under test</param>
    /// <param name="expected">the reference module, with the same submodule and parameter names</param>
    /// <param name="input">the batch both run on (each gets its own copy)</param>
    /// <param name="loss">output → scalar loss whose gradients are compared; the sum of the output when null</param>
    /// <param name="tolerance">one tolerance for every tensor; assert_close's default per dtype when null</param>
    /// <param name="title">what is compared with what, for the report</param>
    public static ParityResult Compare(nn.Module<Tensor, Tensor> actual, nn.Module<Tensor, Tensor> expected, Tensor input,
        Func<Tensor, Tensor>? loss = null, Tolerance? tolerance = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(input);
        using var reference = ForwardTrace.Record(expected, input, loss);
        if (reference.Failure is not null)
            throw new ArgumentException($"the expected module failed on this input ({reference.Failure}); it must run to be a reference");
        using var trace = ForwardTrace.Record(actual, input, loss);
        return Compare(trace, reference, tolerance, title ?? $"{actual.GetName()} vs {expected.GetName()}");
    }

    /// <summary>
    /// Holds <paramref name="actual"/> against a PyTorch golden: loads the golden's weights into it, puts it in
    /// eval() mode as the golden's module was, compares forward outputs, loss and gradients on the golden's batch,
    /// then trains it by SGD for the golden's K steps and compares each step's loss and parameters. The module is
    /// left with the weights of the last step.
    /// </summary>
    /// <param name="actual">the port under test; its weights are replaced by the golden's</param>
    /// <param name="golden">what PyTorch computed, from <see cref="TorchGolden.Load"/></param>
    /// <param name="tolerance">one tolerance for every tensor; assert_close's default per dtype when null</param>
    /// <param name="title">what is compared with what; "{module} vs {golden file}" when null</param>
    /// <exception cref="ArgumentException">the golden's state_dict does not fit the module (names or shapes)</exception>
    public static ParityResult Compare(nn.Module<Tensor, Tensor> actual, TorchGolden golden, Tolerance? tolerance = null, string? title = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(golden);
        title ??= $"{actual.GetName()} vs PyTorch {golden.TorchVersion} golden {Path.GetFileName(golden.Path)}";
        golden.LoadInto(actual);
        actual.eval();
        using var trace = ForwardTrace.Record(actual, golden.Input, golden.LossOf);
        var forward = Compare(trace, golden.Trace(), tolerance, title); // the golden's trace is the golden's to dispose
        if (trace.Failure is not null || golden.Steps == 0) return forward;
        var steps = Lockstep.Run(Lockstep.Sgd(actual, golden.LossOf, golden.LearningRate), golden.Replay(), golden.Batches(), tolerance, title);
        return new ParityResult(title, [.. forward.Checks, .. steps.Checks], [.. forward.Notes, .. steps.Notes]);
    }

    internal static ParityResult Compare(ForwardTrace actual, ForwardTrace expected, Tolerance? tolerance, string title)
    {
        var checks = new List<ParityCheck>();
        var notes = new List<string>();
        if (actual.Failure is not null) notes.Add($"The actual forward or backward threw: {actual.Failure}");
        notes.AddRange(actual.Unobserved.Select(u => "actual: " + u));

        string notReached = actual.Failure is null ? "never observed: is it invoked with call(x) rather than forward(x)?" : "not reached: the pass threw before it";
        var outputs = actual.Outputs.ToDictionary(o => o.Name, o => o.Output, StringComparer.Ordinal);
        foreach (var (name, output) in expected.Outputs)
            checks.Add(TensorCheck.Compare("forward", name, outputs.GetValueOrDefault(name), output, tolerance, notReached));

        if (expected.Loss is not null)
            checks.Add(TensorCheck.Compare("loss", "loss", actual.Loss, expected.Loss, tolerance, "not computed: the pass threw"));

        var order = expected.Outputs.Select((o, i) => (o.Name, i)).GroupBy(x => x.Name).ToDictionary(g => g.Key, g => g.First().i);
        var gradients = actual.Gradients.ToDictionary(g => g.Name, g => g.Gradient, StringComparer.Ordinal);
        var ordered = expected.Gradients.Select((g, i) => (g.Name, g.Gradient, Definition: i))
            .OrderBy(g => order.GetValueOrDefault(Owner(g.Name), int.MaxValue)).ThenBy(g => g.Definition);
        foreach (var (name, gradient, _) in ordered)
        {
            if (gradient is null) continue; // the reference has no gradient for it either way
            string why = actual.Failure is not null ? "not computed: the pass threw"
                : gradients.ContainsKey(name) ? "no gradient: does the forward use this parameter?" : "no parameter of this name";
            checks.Add(TensorCheck.Compare("gradient", name, gradients.GetValueOrDefault(name), gradient, tolerance, why));
        }
        return new ParityResult(title, checks, notes);

        static string Owner(string parameter) => parameter.LastIndexOf('.') is int dot and >= 0 ? parameter[..dot] : "";
    }
}
