using CnnParity.Testing.NumPy;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// A golden file written by <c>reference/torch_golden.py</c> from a PyTorch module: its state_dict by name, the
/// input and target, every submodule's output, the loss, every parameter's gradient, and K SGD steps' losses and
/// parameters. Load its weights into your TorchSharp port with <see cref="LoadInto"/>, then hold the port against
/// it with <see cref="ModuleParity.Compare(nn.Module{Tensor, Tensor}, TorchGolden, Tolerance?, string?)"/>.
/// </summary>
public sealed class TorchGolden : IDisposable
{
    readonly List<(string Name, Tensor Output)> outputs;
    readonly List<(string Name, Tensor Gradient)> gradients;
    readonly List<(Tensor Loss, List<(string Name, Tensor Value)> Parameters)> steps;

    TorchGolden(string path, Dictionary<string, Tensor> stateDict, Tensor input, Tensor target, Tensor loss,
        List<(string, Tensor)> outputs, List<(string, Tensor)> gradients,
        List<(Tensor, List<(string, Tensor)>)> steps, double learningRate, string lossName, string torchVersion)
    {
        Path = path;
        StateDict = stateDict;
        Input = input;
        Target = target;
        Loss = loss;
        this.outputs = outputs;
        this.gradients = gradients;
        this.steps = steps;
        LearningRate = learningRate;
        LossName = lossName;
        TorchVersion = torchVersion;
    }

    /// <summary>Where the golden was read from.</summary>
    public string Path { get; }

    /// <summary>The PyTorch module's state_dict: every parameter and buffer by name.</summary>
    public IReadOnlyDictionary<string, Tensor> StateDict { get; }

    /// <summary>The batch the golden was computed on.</summary>
    public Tensor Input { get; }

    /// <summary>The target of the loss: class indices (cross-entropy) or a tensor (MSE).</summary>
    public Tensor Target { get; }

    /// <summary>PyTorch's loss on <see cref="Input"/> with the initial weights.</summary>
    public Tensor Loss { get; }

    /// <summary>The loss function's PyTorch name: <c>cross_entropy</c> or <c>mse</c>.</summary>
    public string LossName { get; }

    /// <summary>The learning rate of the recorded SGD steps.</summary>
    public double LearningRate { get; }

    /// <summary>How many SGD steps were recorded (K).</summary>
    public int Steps => steps.Count;

    /// <summary>The PyTorch version that wrote the golden.</summary>
    public string TorchVersion { get; }

    /// <summary>Reads a golden <c>.npz</c>.</summary>
    /// <exception cref="InvalidDataException">the file is not a torch_golden.py golden (a key is missing or malformed)</exception>
    public static TorchGolden Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var arrays = Npz.Load(path);
        NpyArray Need(string key) => arrays.TryGetValue(key, out var a) ? a
            : throw new InvalidDataException($"{path}: no '{key}'; is this a golden written by reference/torch_golden.py?");
        Tensor T(string key) => NpyTensor.From(Need(key), $"{path}:{key}");

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        var outputs = new List<(string Key, string Name, Tensor Output)>();
        var gradients = new List<(string, Tensor)>();
        foreach (var key in arrays.Keys)
        {
            if (key.StartsWith("state_dict/", StringComparison.Ordinal)) state[key["state_dict/".Length..]] = T(key);
            else if (key.StartsWith("output/", StringComparison.Ordinal)) outputs.Add((key, key[(key.IndexOf('/', "output/".Length) + 1)..], T(key)));
            else if (key.StartsWith("grad/", StringComparison.Ordinal)) gradients.Add((key["grad/".Length..], T(key)));
        }
        // output/NNN/name: NNN is the execution order; sort on it rather than trust the archive's order.
        outputs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        long stepCount = Need("meta/steps").ToInt64Array()[0];
        var steps = new List<(Tensor, List<(string, Tensor)>)>();
        for (long k = 1; k <= stepCount; k++)
        {
            string prefix = $"step/{k}/param/";
            steps.Add((T($"step/{k}/loss"),
                [.. arrays.Keys.Where(key => key.StartsWith(prefix, StringComparison.Ordinal)).Select(key => (key[prefix.Length..], T(key)))]));
        }
        return new TorchGolden(path, state, T("input"), T("target"), T("loss"), [.. outputs.Select(o => (o.Name, o.Output))], gradients, steps,
            Need("meta/learning_rate").ToDoubleArray()[0], NpyTensor.Text(Need("meta/loss")), NpyTensor.Text(Need("meta/torch_version")));
    }

    /// <summary>
    /// Copies the golden's state_dict into <paramref name="module"/> by name — every parameter and buffer, all or
    /// nothing. The module's own names (its fields, as RegisterComponents registers them) must be PyTorch's.
    /// </summary>
    /// <exception cref="ArgumentException">names or shapes differ; the message lists each difference</exception>
    public void LoadInto(nn.Module module)
    {
        ArgumentNullException.ThrowIfNull(module);
        var own = module.state_dict();
        var problems = new List<string>();
        problems.AddRange(StateDict.Keys.Where(k => !own.ContainsKey(k)).Select(k => $"'{k}' is in the golden but not in the module"));
        problems.AddRange(own.Keys.Where(k => !StateDict.ContainsKey(k)).Select(k => $"'{k}' is in the module but not in the golden"));
        problems.AddRange(StateDict.Where(kv => own.TryGetValue(kv.Key, out var t) && !t.shape.SequenceEqual(kv.Value.shape))
            .Select(kv => $"'{kv.Key}' has shape {PythonRepr.Tuple(own[kv.Key].shape)} in the module, {PythonRepr.Tuple(kv.Value.shape)} in the golden"));
        if (problems.Count > 0)
            throw new ArgumentException($"the golden's state_dict does not fit {module.GetName()} ({Path}):\n  " + string.Join("\n  ", problems) +
                                        "\nName the module's fields as the PyTorch module names its attributes.");
        module.load_state_dict(new Dictionary<string, Tensor>(StateDict), strict: true);
    }

    /// <summary>The golden's loss function applied to <paramref name="output"/> and <see cref="Target"/>, in TorchSharp.</summary>
    public Tensor LossOf(Tensor output) => LossOf(output, Target);

    internal Tensor LossOf(Tensor output, Tensor target) => LossName switch
    {
        "cross_entropy" => nn.functional.cross_entropy(output, target),
        "mse" => nn.functional.mse_loss(output, target),
        _ => throw new InvalidDataException($"{Path}: unknown loss '{LossName}'"),
    };

    /// <summary>The recorded batch, once per recorded step: what the golden was trained on.</summary>
    internal IEnumerable<(Tensor Input, Tensor Target)> Batches() => Enumerable.Repeat((Input, Target), Steps);

    internal ForwardTrace Trace()
    {
        var trace = new ForwardTrace { Loss = Loss };
        trace.Outputs.AddRange(outputs);
        trace.Gradients.AddRange(gradients.Select(g => (g.Name, (Tensor?)g.Gradient)));
        return trace;
    }

    internal ILockstepModel Replay() => new GoldenReplay(steps);

    /// <summary>Releases every tensor of the golden.</summary>
    public void Dispose()
    {
        foreach (var t in StateDict.Values) t.Dispose();
        Input.Dispose();
        Target.Dispose();
        Loss.Dispose();
        foreach (var (_, t) in outputs) t.Dispose();
        foreach (var (_, t) in gradients) t.Dispose();
        foreach (var (loss, parameters) in steps)
        {
            loss.Dispose();
            foreach (var (_, t) in parameters) t.Dispose();
        }
    }

    /// <summary>The recorded steps played back: step k returns PyTorch's loss and parameters of step k.</summary>
    sealed class GoldenReplay(List<(Tensor Loss, List<(string Name, Tensor Value)> Parameters)> steps) : ILockstepModel
    {
        int next;

        public double Step(Tensor input, Tensor target) =>
            next < steps.Count ? steps[next++].Loss.to_type(ScalarType.Float64).item<double>()
                : throw new InvalidOperationException($"the golden recorded only {steps.Count} steps");

        public IReadOnlyList<(string Name, Tensor Value)> Parameters() => steps[next - 1].Parameters;
    }
}
