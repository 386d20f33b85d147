using CnnParity.Testing.NumPy;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// A golden file written by <c>torch_golden.py</c> (<see cref="WriterScript"/>) from a PyTorch module: its
/// state_dict by name, the input and target, every submodule's output, the loss, every parameter's gradient, K SGD
/// steps' losses and parameters (and buffers, with <c>--train-mode</c>), and the same from a float64 copy of the
/// module, its float64 shadow. Hold your TorchSharp port against it with
/// <see cref="ModuleParity.Compare(nn.Module{Tensor, Tensor}, TorchGolden, Tolerance?, string?)"/>.
/// </summary>
public sealed class TorchGolden : IDisposable
{
    readonly RunRecord record;
    readonly RunRecord? shadow;

    TorchGolden(string path, Dictionary<string, Tensor> stateDict, Tensor input, Tensor target, RunRecord record, RunRecord? shadow,
        double learningRate, bool trainMode, string lossName, string torchVersion)
    {
        Path = path;
        StateDict = stateDict;
        Input = input;
        Target = target;
        this.record = record;
        this.shadow = shadow;
        LearningRate = learningRate;
        TrainMode = trainMode;
        LossName = lossName;
        TorchVersion = torchVersion;
    }

    /// <summary>
    /// Where the golden writer is: <c>torch_golden.py</c>, which ships in this package (<c>tools/</c>) and is copied
    /// beside your test binaries. Run it with the Python that has PyTorch:
    /// <c>python3 torch_golden.py model.py:Net --input-shape 4,1,28,28 --classes 10 --out net.npz</c>.
    /// The MSBuild property <c>$(CnnParityTorchGolden)</c> holds the same path for build scripts.
    /// </summary>
    /// <exception cref="FileNotFoundException">neither beside the binaries nor in the package (a copy of the assembly alone)</exception>
    public static string WriterScript
    {
        get
        {
            const string Name = "torch_golden.py";
            string beside = System.IO.Path.Combine(AppContext.BaseDirectory, Name);
            if (File.Exists(beside)) return beside;
            // In the NuGet cache the assembly is lib/<tfm>/CnnParity.Testing.dll and the script tools/torch_golden.py.
            string? lib = System.IO.Path.GetDirectoryName(typeof(TorchGolden).Assembly.Location);
            string package = lib is null ? Name : System.IO.Path.GetFullPath(System.IO.Path.Combine(lib, "..", "..", "tools", Name));
            return File.Exists(package) ? package
                : throw new FileNotFoundException($"{Name} is neither in {AppContext.BaseDirectory} nor at {package}; " +
                                                  "reference the CnnParity.Testing package (it ships the script in tools/) or take reference/torch_golden.py from the repository", Name);
        }
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
    public Tensor Loss => record.Forward.Loss!;

    /// <summary>The loss function's PyTorch name: <c>cross_entropy</c> or <c>mse</c>.</summary>
    public string LossName { get; }

    /// <summary>The learning rate of the recorded SGD steps.</summary>
    public double LearningRate { get; }

    /// <summary>How many SGD steps were recorded (K).</summary>
    public int Steps => record.Steps.Count;

    /// <summary>
    /// Written with <c>--train-mode</c>: the module ran in train() with dropout off, so batch norm normalised with
    /// each batch's statistics, and every buffer (running_mean, running_var, num_batches_tracked) was recorded after
    /// every step. <see cref="ModuleParity"/> runs the port the same way and compares those buffers too.
    /// </summary>
    public bool TrainMode { get; }

    /// <summary>
    /// The golden carries a float64 shadow: the same model run in float64 from its float32 weights and input
    /// promoted exactly. <see cref="ModuleParity"/> then judges every float32 check against that float64 truth.
    /// Goldens written before torch_golden.py had the shadow (or with <c>--no-shadow</c>) lack it.
    /// </summary>
    public bool HasShadow => shadow is not null;

    /// <summary>The PyTorch version that wrote the golden.</summary>
    public string TorchVersion { get; }

    /// <summary>Reads a golden <c>.npz</c>.</summary>
    /// <exception cref="InvalidDataException">the file is not a torch_golden.py golden (a key is missing or malformed)</exception>
    public static TorchGolden Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var arrays = Npz.Load(path);
        NpyArray Need(string key) => arrays.TryGetValue(key, out var a) ? a
            : throw new InvalidDataException($"{path}: no '{key}'; is this a golden written by torch_golden.py?");
        Tensor T(string key) => NpyTensor.From(Need(key), $"{path}:{key}");
        long Flag(string key) => arrays.TryGetValue(key, out var a) ? a.ToInt64Array()[0] : 0; // absent in older goldens

        var state = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var key in arrays.Keys)
            if (key.StartsWith("state_dict/", StringComparison.Ordinal)) state[key["state_dict/".Length..]] = T(key);
        long stepCount = Need("meta/steps").ToInt64Array()[0];
        var record = Read("", arrays, stepCount, T);
        var shadow = Flag("meta/shadow") != 0 ? Read("shadow/", arrays, stepCount, T) : null;
        return new TorchGolden(path, state, T("input"), T("target"), record, shadow, Need("meta/learning_rate").ToDoubleArray()[0],
            Flag("meta/train_mode") != 0, NpyTensor.Text(Need("meta/loss")), NpyTensor.Text(Need("meta/torch_version")));
    }

    /// <summary>The entries under <paramref name="prefix"/>: outputs, loss, gradients and steps of one precision.</summary>
    static RunRecord Read(string prefix, IReadOnlyDictionary<string, NpyArray> arrays, long stepCount, Func<string, Tensor> tensor)
    {
        var trace = new ForwardTrace { Loss = tensor(prefix + "loss") };
        var outputs = new List<(string Key, string Name)>();
        string output = prefix + "output/", grad = prefix + "grad/";
        foreach (var key in arrays.Keys)
        {
            if (key.StartsWith(output, StringComparison.Ordinal)) outputs.Add((key, key[(key.IndexOf('/', output.Length) + 1)..]));
            else if (key.StartsWith(grad, StringComparison.Ordinal)) trace.Gradients.Add((key[grad.Length..], tensor(key)));
        }
        // output/NNN/name: NNN is the execution order; sort on it rather than trust the archive's order.
        outputs.Sort((a, b) => string.CompareOrdinal(a.Key, b.Key));
        trace.Outputs.AddRange(outputs.Select(o => (o.Name, tensor(o.Key))));
        var record = new RunRecord(trace);
        for (long k = 1; k <= stepCount; k++)
        {
            string param = $"{prefix}step/{k}/param/", buffer = $"{prefix}step/{k}/buffer/";
            record.Steps.Add(new StepRecord(tensor($"{prefix}step/{k}/loss"),
            [
                .. arrays.Keys.Where(key => key.StartsWith(param, StringComparison.Ordinal)).Select(key => (key[param.Length..], tensor(key))),
                .. arrays.Keys.Where(key => key.StartsWith(buffer, StringComparison.Ordinal)).Select(key => (key[buffer.Length..], tensor(key))),
            ])
            {
                // PyTorch's float32 step against its float64 one (goldens before it was recorded: none seen).
                DecidedByRounding = prefix.Length == 0 && arrays.TryGetValue($"step/{k}/decided_by_rounding", out var flips) ? flips.ToInt64Array()[0] : 0,
            });
        }
        return record;
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
        // A float64 run of the port is held against the float64 shadow: the target promoted exactly.
        "mse" => nn.functional.mse_loss(output, target.dtype == output.dtype ? target : target.to_type(output.dtype)),
        _ => throw new InvalidDataException($"{Path}: unknown loss '{LossName}'"),
    };

    /// <summary>The recorded batch, once per recorded step: what the golden was trained on.</summary>
    internal IEnumerable<(Tensor Input, Tensor Target)> Batches() => Enumerable.Repeat((Input, Target), Steps);

    /// <summary>PyTorch's float32 run (the golden's to dispose).</summary>
    internal RunRecord Record => record;

    /// <summary>PyTorch's float64 shadow run, or null (the golden's to dispose).</summary>
    internal RunRecord? Shadow => shadow;

    internal ILockstepModel Replay() => new GoldenReplay(record.Steps);

    /// <summary>Releases every tensor of the golden.</summary>
    public void Dispose()
    {
        foreach (var t in StateDict.Values) t.Dispose();
        Input.Dispose();
        Target.Dispose();
        record.Dispose();
        shadow?.Dispose();
    }

    /// <summary>The recorded steps played back: step k returns PyTorch's loss and parameters of step k.</summary>
    sealed class GoldenReplay(List<StepRecord> steps) : ILockstepModel
    {
        int next;

        public double Step(Tensor input, Tensor target) =>
            next < steps.Count ? steps[next++].Loss.to_type(ScalarType.Float64).item<double>()
                : throw new InvalidOperationException($"the golden recorded only {steps.Count} steps");

        public IReadOnlyList<(string Name, Tensor Value)> Parameters() => steps[next - 1].Values;
    }
}
