namespace CnnParity.Core.Architecture;

/// <summary>
/// A small CNN described as data: MNIST images (1x28x28) in, a list of layers, 10 logits out, softmax cross-entropy as
/// the loss. The one source of every shape: each layer's input and output, each parameter's name and PyTorch shape.
/// Built by <see cref="Parse"/> from the command-line grammar (<see cref="SpecParser"/>) or a preset name
/// (<see cref="ArchitecturePresets"/>); a spec that cannot run throws <see cref="ArchitectureSpecException"/>.
/// <code>
/// var spec = ArchitectureSpec.Parse("conv(c=4,k=2,s=2) relu flatten dense(10)");
/// spec.Layers[0].Output   // 4x14x14
/// </code>
/// </summary>
public sealed class ArchitectureSpec
{
    /// <summary>Side of an MNIST image, in pixels.</summary>
    public const int ImageSide = 28;

    /// <summary>What every spec reads: one MNIST image, 1 channel of 28x28.</summary>
    public static readonly ActivationShape MnistInput = ActivationShape.Image(1, ImageSide, ImageSide);

    /// <summary>Classes, and so the width of the last layer: MNIST's ten digits.</summary>
    public const int Classes = 10;

    ArchitectureSpec(string? preset, IReadOnlyList<SpecLayer> layers, int chapter10NumKernels)
    {
        Preset = preset;
        Layers = layers;
        Chapter10NumKernels = chapter10NumKernels;
        Parameters = layers.SelectMany(ParametersOf).ToList();
        Buffers = layers.SelectMany(BuffersOf).ToList();
    }

    /// <summary>The preset's name (ch10, lenet5, lenet5-relu), or null for a spec written out.</summary>
    public string? Preset { get; }

    /// <summary>The chapter-10 network, which runs on its own engines (the book's rule, NumPy's bits).</summary>
    public bool IsChapter10 => Chapter10NumKernels > 0;

    /// <summary>num_kernels of the chapter-10 preset; 0 for every other spec.</summary>
    public int Chapter10NumKernels { get; }

    /// <summary>The input of one image (an MNIST image, but for <see cref="OneLayer"/>).</summary>
    public ActivationShape Input => Layers[0].Input;

    /// <summary>The layers in order, with names and shapes.</summary>
    public IReadOnlyList<SpecLayer> Layers { get; }

    /// <summary>Every trainable tensor in PyTorch's state_dict order: layer by layer, weight before bias.</summary>
    public IReadOnlyList<ParameterSpec> Parameters { get; }

    /// <summary>Every buffer (state that is not trained: batch norm's running statistics) in PyTorch's state_dict order.</summary>
    public IReadOnlyList<BufferSpec> Buffers { get; }

    /// <summary>The canonical text: the layers' texts joined by spaces (it parses back to the same spec, ch10 aside).</summary>
    public string Text => string.Join(" ", Layers.Select(l => l.Spec.Text));

    /// <summary>The preset's name, else the text: how reports and file names refer to the spec.</summary>
    public string DisplayName => Preset ?? Text;

    /// <summary>Trainable values in all.</summary>
    public long ParameterCount => Layers.Sum(l => l.Parameters);

    /// <summary>Forward multiply-adds per image.</summary>
    public long MultiplyAdds => Layers.Sum(l => l.MultiplyAdds);

    /// <summary>The layer called <paramref name="name"/> (conv1, tanh2, dense3...).</summary>
    public SpecLayer Layer(string name) =>
        Layers.FirstOrDefault(l => l.Name == name) ?? throw new ArgumentException($"the spec has no layer '{name}'", nameof(name));

    /// <summary>
    /// A spec from its text, or a preset by name. <c>ch10</c> gives the seed notebook's network (4 kernels, 26x26);
    /// <see cref="Chapter10"/> takes its options.
    /// </summary>
    public static ArchitectureSpec Parse(string text)
    {
        string trimmed = text.Trim();
        if (ArchitecturePresets.Find(trimmed) is { } preset)
            return preset == ArchitecturePresets.Chapter10Name ? Chapter10() : Build(preset, ArchitecturePresets.Text(preset), 0);
        return Build(null, trimmed, 0);
    }

    /// <summary>
    /// The chapter-10 network: <c>conv(c=K,k=3,bias=false)</c>, cropped to the book's 25x25 grid when
    /// <paramref name="grid"/> is 25, tanh, dropout(p=0.5), flatten, <c>dense(10,bias=false)</c>.
    /// </summary>
    public static ArchitectureSpec Chapter10(int numKernels = 4, int grid = 26)
    {
        if (numKernels < 1) throw new ArgumentOutOfRangeException(nameof(numKernels));
        var layers = new List<LayerSpec> { new Conv2dSpec(numKernels, 3, Bias: false) };
        if (grid != MnistInput.Height - 2) layers.Add(new CropSpec(grid));
        layers.AddRange([new ActivationSpec(ActivationKind.Tanh), new DropoutSpec(0.5), new FlattenSpec(), new DenseSpec(Classes, Bias: false)]);
        return Resolve(ArchitecturePresets.Chapter10Name, layers.Select(l => (l, l.Text)).ToList(), numKernels);
    }

    /// <summary>
    /// One layer on an input of any shape, as <c>conv1</c>, <c>dense1</c>...: not a network (no MNIST input, no logits), only
    /// what <see cref="Engines.OpReference"/> needs to run one engine layer with its parameters by name.
    /// </summary>
    internal static ArchitectureSpec OneLayer(LayerSpec layer, ActivationShape input)
    {
        ActivationShape output;
        try
        {
            output = layer.OutputShape(input);
        }
        catch (LayerProblem problem)
        {
            throw new ArgumentException($"{layer.Text} on {input}: {problem.Message}", nameof(input));
        }
        string name = LayerName(layer, 1);
        return new ArchitectureSpec(null, [new SpecLayer(1, name, layer, input, output)], 0);
    }

    static ArchitectureSpec Build(string? preset, string text, int numKernels) => Resolve(preset, SpecParser.Parse(text), numKernels);

    // Infers every shape in order; a layer that cannot take its input, or a wrong last layer, is named here.
    static ArchitectureSpec Resolve(string? preset, IReadOnlyList<(LayerSpec Layer, string Token)> parsed, int numKernels)
    {
        var layers = new List<SpecLayer>();
        var counts = new Dictionary<string, int>();
        var shape = MnistInput;
        for (int i = 0; i < parsed.Count; i++)
        {
            var (spec, token) = parsed[i];
            ActivationShape output;
            try
            {
                output = spec.OutputShape(shape);
            }
            catch (LayerProblem problem)
            {
                throw ArchitectureSpecException.At(i + 1, token, problem.Message);
            }
            int n = counts[spec.Keyword] = counts.GetValueOrDefault(spec.Keyword) + 1;
            if (spec is BatchNormSpec && !layers.Any(l => l.Spec is Conv2dSpec or DenseSpec))
                throw ArchitectureSpecException.At(i + 1, token, "batchnorm needs a conv or dense layer before it: it normalises their outputs");
            if (spec is GlobalAvgPoolSpec && n > 1)
                throw ArchitectureSpecException.At(i + 1, token, "gap is given twice: the first already pools every channel to 1x1");
            string name = LayerName(spec, n);
            layers.Add(new SpecLayer(i + 1, name, spec, shape, output));
            shape = output;
        }
        var last = layers[^1];
        if (last.Spec is not DenseSpec { Outputs: Classes })
            throw ArchitectureSpecException.At(last.Position, parsed[^1].Token,
                $"the last layer must be dense({Classes}), the logits of the {Classes} classes (the loss is softmax cross-entropy)");
        return new ArchitectureSpec(preset, layers, numKernels);
    }

    // conv1, tanh2; flatten, crop and gap, of which a spec has one, go by their keyword; a keyword that ends in a digit takes
    // an underscore (relu6_1, not relu61).
    static string LayerName(LayerSpec layer, int n) => layer switch
    {
        FlattenSpec or CropSpec or GlobalAvgPoolSpec => layer.Keyword,
        _ when char.IsAsciiDigit(layer.Keyword[^1]) => $"{layer.Keyword}_{n}",
        _ => $"{layer.Keyword}{n}",
    };

    static IEnumerable<BufferSpec> BuffersOf(SpecLayer layer)
    {
        if (layer.Spec is not BatchNormSpec) yield break;
        long c = layer.Input.Channels;
        yield return new BufferSpec($"{layer.Name}.running_mean", layer, [c], 0);
        yield return new BufferSpec($"{layer.Name}.running_var", layer, [c], 1);
        yield return new BufferSpec($"{layer.Name}.num_batches_tracked", layer, [], 0);
    }

    static IEnumerable<ParameterSpec> ParametersOf(SpecLayer layer)
    {
        switch (layer.Spec)
        {
            case Conv2dSpec conv:
                // (out, in/g, k, k), and PyTorch's fan-in is the weight's: in/g·k·k.
                int perGroup = conv.InputsPerGroup(layer.Input), fanIn = perGroup * conv.Kernel * conv.Kernel;
                yield return new ParameterSpec($"{layer.Name}.weight", layer, [conv.OutChannels, perGroup, conv.Kernel, conv.Kernel], fanIn);
                if (conv.Bias) yield return new ParameterSpec($"{layer.Name}.bias", layer, [conv.OutChannels], fanIn);
                break;
            case BatchNormSpec:
                // PyTorch's reset_parameters: γ = 1, β = 0 (nothing is drawn).
                yield return new ParameterSpec($"{layer.Name}.weight", layer, [layer.Input.Channels], 1, Constant: 1);
                yield return new ParameterSpec($"{layer.Name}.bias", layer, [layer.Input.Channels], 1, Constant: 0);
                break;
            case DenseSpec dense:
                yield return new ParameterSpec($"{layer.Name}.weight", layer, [dense.Outputs, layer.Input.Channels], layer.Input.Channels);
                if (dense.Bias) yield return new ParameterSpec($"{layer.Name}.bias", layer, [dense.Outputs], layer.Input.Channels);
                break;
        }
    }

    public override string ToString() => Preset is null ? Text : $"{Preset}: {Text}";
}
