using TorchSharp;
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
    /// the golden's mode (eval, or train with dropout off), compares forward outputs, loss and gradients on the
    /// golden's batch, then trains it by SGD for the golden's K steps and compares each step's loss, parameters
    /// and (train mode) buffers. The module is left in float32 with the weights of the last step.
    /// </summary>
    /// <remarks>
    /// A golden output with no port output of its name is matched by value: the port output of the same shape
    /// that passes, nearest in the module tree (TorchVision's <c>relu1</c> for torchvision's <c>relu</c>).
    /// When the golden carries a float64 shadow (<see cref="TorchGolden.HasShadow"/>), the module is also run in
    /// float64 — converted in place and back, so hold no references to its parameters across the call — and
    /// every float32 check is decided by the float64 truth (<see cref="TruthJudgement"/>): a gradient moved by a
    /// ReLU that rounding tipped the other way passes as "decided by rounding", a wrong port fails naming the
    /// side that is off.
    /// </remarks>
    /// <param name="actual">the port under test; its weights are replaced by the golden's</param>
    /// <param name="golden">what PyTorch computed, from <see cref="TorchGolden.Load"/></param>
    /// <param name="tolerance">one tolerance for every tensor; the float64 truth's bound, or assert_close's default per dtype, when null</param>
    /// <param name="title">what is compared with what; "{module} vs {golden file}" when null</param>
    /// <exception cref="ArgumentException">the golden's state_dict does not fit the module (names or shapes)</exception>
    public static ParityResult Compare(nn.Module<Tensor, Tensor> actual, TorchGolden golden, Tolerance? tolerance = null, string? title = null) =>
        Compare(actual, golden, new ParityOptions { Tolerance = tolerance, Title = title });

    /// <summary>
    /// <see cref="Compare(nn.Module{Tensor, Tensor}, TorchGolden, Tolerance?, string?)"/> with explicit pairing:
    /// golden names renamed to the port's, or ignored (patterns with <c>*</c>).
    /// </summary>
    /// <param name="actual">the port under test; its weights are replaced by the golden's</param>
    /// <param name="golden">what PyTorch computed, from <see cref="TorchGolden.Load"/></param>
    /// <param name="options">tolerance, title, renames and ignores</param>
    /// <exception cref="ArgumentException">the golden's state_dict does not fit the module (names or shapes)</exception>
    public static ParityResult Compare(nn.Module<Tensor, Tensor> actual, TorchGolden golden, ParityOptions options)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(golden);
        ArgumentNullException.ThrowIfNull(options);
        string title = options.Title ?? $"{actual.GetName()} vs PyTorch {golden.TorchVersion} golden {Path.GetFileName(golden.Path)}";
        var notes = new List<string>();
        RunRecord? port64 = null;
        var dtype = golden.Input.dtype;
        if (golden.Shadow is not null)
        {
            // The float64 run first, then back to float32 with the golden's weights reloaded: the caller's module ends in float32.
            port64 = PortRun.Record(actual, golden, ScalarType.Float64, keepStepOutputs: true);
            actual.to(dtype);
            string? failed = port64.Forward.Failure ?? port64.StepFailure;
            if (failed is not null)
            {
                notes.Add($"The port's float64 run threw ({failed}); its float32 checks use {Tolerance.For(dtype).Name} against PyTorch's float32 values instead of the float64 truth.");
                port64.Dispose();
                port64 = null;
            }
        }
        else
            notes.Add($"This golden has no float64 shadow (written before torch_golden.py had one, or with --no-shadow): each check holds the port against PyTorch's " +
                      $"{MismatchMessage.DTypeName(dtype)} values with {(options.Tolerance ?? Tolerance.For(dtype)).Name}. Write it again with torch_golden.py " +
                      "(TorchGolden.WriterScript) to have the float64 truth decide, and rounding-decided ReLUs told from errors.");
        using (port64)
        using (var port32 = PortRun.Record(actual, golden, dtype, float64: port64))
            return new GoldenComparison(port32, port64, golden.Record, port64 is null ? null : golden.Shadow, options).Run(title, notes);
    }

    internal static ParityResult Compare(ForwardTrace actual, ForwardTrace expected, Tolerance? tolerance, string title) =>
        new GoldenComparison(new RunRecord(actual), null, new RunRecord(expected), null, new ParityOptions { Tolerance = tolerance }).Run(title, []);
}
