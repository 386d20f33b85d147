using System.Globalization;
using System.Text;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// <see href="https://pytorch.org/docs/stable/generated/torch.autograd.gradcheck.html">torch.autograd.gradcheck</see>
/// for TorchSharp: the analytical Jacobian (from backward) of a float64 function against its numerical Jacobian
/// (central differences), with respect to every input that requires grad — or, for a module, every parameter.
/// It catches a backward that does not differentiate its forward: a custom autograd function, a hand-written
/// gradient. On failure it throws <see cref="TensorMismatchException"/> naming the input and the worst entry.
/// </summary>
public static class GradCheck
{
    /// <summary>Checks <paramref name="function"/>'s gradients with respect to each input that requires grad.</summary>
    /// <param name="function">float64 inputs to one float64 output; must be deterministic</param>
    /// <param name="inputs">its inputs; those with requires_grad are checked (each changed while probing, then restored)</param>
    /// <param name="options">tolerances, eps and fast mode; torch's defaults when null</param>
    /// <exception cref="TensorMismatchException">an analytical derivative is not close to the numerical one</exception>
    /// <exception cref="ArgumentException">no input requires grad, or one is not float64</exception>
    public static void Assert(Func<Tensor[], Tensor> function, IReadOnlyList<Tensor> inputs, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(inputs);
        var all = inputs.ToArray();
        var checkedInputs = all.Select((t, i) => (Name: $"input {i}", Tensor: t)).Where(x => x.Tensor.requires_grad).ToList();
        Run(() => function(all), checkedInputs, options ?? new GradCheckOptions());
    }

    /// <summary>
    /// Checks a module's gradients with respect to every parameter that requires grad, and to
    /// <paramref name="input"/> if it requires grad. Submodules in training mode with randomness (dropout) make the
    /// function non-deterministic: call <c>module.eval()</c> first.
    /// </summary>
    /// <param name="module">a float64 module (<c>module.to(float64)</c>)</param>
    /// <param name="input">the input the Jacobian is taken at</param>
    /// <param name="options">tolerances, eps and fast mode; torch's defaults when null</param>
    /// <exception cref="TensorMismatchException">an analytical derivative is not close to the numerical one</exception>
    /// <exception cref="ArgumentException">nothing requires grad, or a checked tensor is not float64</exception>
    public static void Assert(nn.Module<Tensor, Tensor> module, Tensor input, GradCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(input);
        var checkedInputs = module.named_parameters().Where(p => p.parameter.requires_grad)
            .Select(p => (Name: p.name, Tensor: (Tensor)p.parameter)).ToList();
        if (input.requires_grad) checkedInputs.Insert(0, ("input", input));
        Run(() => module.call(input), checkedInputs, options ?? new GradCheckOptions());
    }

    static void Run(Func<Tensor> function, List<(string Name, Tensor Tensor)> inputs, GradCheckOptions options)
    {
        if (inputs.Count == 0)
            throw new ArgumentException("gradcheck: no input requires grad, so there is nothing to check; create the inputs with requires_grad: true");
        foreach (var (name, t) in inputs)
            if (t.dtype != ScalarType.Float64)
                throw new ArgumentException($"gradcheck: {name} is {MismatchMessage.DTypeName(t.dtype)}; finite differences need float64 " +
                                            "(call .to(float64) on the inputs, or on the module)");
        var tolerance = new Tolerance("gradcheck", options.Rtol, options.Atol, "torch.autograd.gradcheck's tolerance");
        using var scope = NewDisposeScope();
        var output = function();
        if (output.dtype != ScalarType.Float64)
            throw new ArgumentException($"gradcheck: the output is {MismatchMessage.DTypeName(output.dtype)}; it must be float64");
        for (int k = 0; k < inputs.Count; k++)
        {
            if (options.FastMode) Fast(function, output, inputs, k, tolerance, options);
            else Slow(function, output, inputs, k, tolerance, options);
        }
    }

    static void Slow(Func<Tensor> function, Tensor output, List<(string Name, Tensor Tensor)> inputs, int k, Tolerance tolerance,
        GradCheckOptions options)
    {
        var (name, x) = inputs[k];
        long m = output.numel(), n = x.numel();
        var analytical = new double[n * m]; // row-major (input element, output element), as PyTorch lays a Jacobian out
        for (long j = 0; j < m; j++)
        {
            using var scope = NewDisposeScope();
            var gradOutput = zeros_like(output);
            using (no_grad()) gradOutput.view(-1)[j].fill_(1.0);
            var g = autograd.grad([output], [x], [gradOutput], retain_graph: true, allow_unused: true)[0];
            if (g is null) continue; // the output does not depend on x: zero column
            var row = Values(g);
            for (long i = 0; i < n; i++) analytical[i * m + j] = row[i];
        }
        var numerical = new double[n * m];
        var start = Values(x);
        for (long i = 0; i < n; i++)
        {
            long at = i;
            var column = FiniteDifferences.Central(v => SetElement(x, at, v), start[i], () => Evaluate(function), options.Eps);
            Array.Copy(column, 0, numerical, i * m, m);
        }
        var meter = new DistanceMeter(tolerance);
        meter.Add(analytical, numerical);
        var d = meter.Result;
        if (d.Mismatched == 0) return;

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"Jacobian mismatch for output 0 with respect to input {k} ({name}),\n");
        sb.Append(CultureInfo.InvariantCulture, $"Mismatched entries: {d.Mismatched} / {d.Count} ({(double)d.Mismatched / d.Count * 100:F1}%)\n");
        var abs = d.GreatestAbsoluteMismatch!;
        var rel = d.GreatestRelativeMismatch!;
        sb.Append("Greatest absolute difference: ").Append(PythonRepr.Float(abs.AbsoluteDifference)).Append(" at ").Append(Entry(abs.Index))
          .Append(" (up to ").Append(PythonRepr.Float(tolerance.Atol)).Append(" allowed)\n");
        sb.Append("Greatest relative difference: ").Append(PythonRepr.Float(rel.RelativeDifference)).Append(" at ").Append(Entry(rel.Index))
          .Append(" (up to ").Append(PythonRepr.Float(tolerance.Rtol)).Append(" allowed)\n");
        sb.Append("Worst entry ").Append(Entry(abs.Index)).Append(": analytical ").Append(PythonRepr.Float(abs.Actual))
          .Append(", numerical ").Append(PythonRepr.Float(abs.Expected)).Append('\n');
        sb.Append(Advice(options));
        throw new TensorMismatchException(sb.ToString(), d);

        // "d output(1, 2) / d weight(0, 3)": which output element, differentiated by which input element.
        string Entry(long flat) =>
            $"d output{PythonRepr.Tuple(PythonRepr.Unravel(flat % m, output.shape))} / d {name}{PythonRepr.Tuple(PythonRepr.Unravel(flat / m, x.shape))}";
    }

    // torch's fast mode: u, v uniform in [0, 1) and normalised; uᵀJv from backward against uᵀ(f(x+εv) − f(x−εv))/2ε.
    static void Fast(Func<Tensor> function, Tensor output, List<(string Name, Tensor Tensor)> inputs, int k, Tolerance tolerance,
        GradCheckOptions options)
    {
        var (name, x) = inputs[k];
        using var scope = NewDisposeScope();
        using var generator = new Generator((ulong)options.Seed + (ulong)k, x.device);
        var u = rand(output.shape, ScalarType.Float64, output.device, generator: generator);
        u /= u.norm();
        var v = rand(x.shape, ScalarType.Float64, x.device, generator: generator);
        v /= v.norm();

        var g = autograd.grad([output], [x], [u], retain_graph: true, allow_unused: true)[0];
        double analytical = g is null ? 0 : (g * v).sum().item<double>();
        var start = x.detach().clone();
        var uValues = Values(u);
        double numerical = FiniteDifferences.Central(t => Shift(x, start, v, t), 0, () => Evaluate(function), options.Eps)
            .Select((d, j) => d * uValues[j]).Sum();

        // gradcheck's _adjusted_atol: an entrywise atol becomes atol·Σu·Σv on the projection.
        double atol = tolerance.Atol * u.sum().item<double>() * v.sum().item<double>();
        var projected = tolerance with { Atol = atol };
        if (projected.Accepts(analytical, numerical)) return;
        var d = DistanceMeter.Measure([analytical], [numerical], projected);
        throw new TensorMismatchException(
            $"Jacobian mismatch for output 0 with respect to input {k} ({name}) in fast mode,\n" +
            $"Projection uᵀJv: analytical {PythonRepr.Float(analytical)}, numerical {PythonRepr.Float(numerical)} " +
            $"(difference {PythonRepr.Float(Math.Abs(analytical - numerical))}, up to {PythonRepr.Float(atol + tolerance.Rtol * Math.Abs(numerical))} allowed)\n" +
            $"Fast mode compares one random projection of the Jacobian (seed {options.Seed}); run with FastMode = false to find the worst entry.\n" +
            Advice(options), d);
    }

    static string Advice(GradCheckOptions options) =>
        $"Numerical derivatives are central differences with eps {PythonRepr.Float(options.Eps)}; analytical ones come from backward. " +
        "A mismatch means the backward (a custom autograd function, a hand-written gradient) does not differentiate the forward.";

    static double[] Evaluate(Func<Tensor> function)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return Values(function());
    }

    static void SetElement(Tensor x, long index, double value)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        x.view(-1)[index].fill_(value);
    }

    static void Shift(Tensor x, Tensor start, Tensor direction, double t)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        x.copy_(start + direction * t);
    }

    static double[] Values(Tensor t) => t.detach().cpu().contiguous().data<double>().ToArray();
}
