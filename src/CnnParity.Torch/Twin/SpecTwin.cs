using CnnParity.Core.Architecture;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// The TorchSharp twin of any spec: one submodule per spec layer, registered under the layer's name (conv1, relu1,
/// maxpool1, dropout1, flatten, dense1...), so that its state_dict names are the spec's parameter names
/// (<c>conv1.weight</c>, <c>dense2.bias</c>). Layers are TorchSharp's own modules — Conv2d, MaxPool2d, AvgPool2d, AdaptiveAvgPool2d(1),
/// Tanh, ReLU, ReLU6, Sigmoid, Flatten, Linear — except dropout, which multiplies by the engine's masks
/// (<see cref="MaskedDropout"/>), and ch10's crop (<see cref="Crop2d"/>). TorchSharp's own initial values are
/// overwritten by <see cref="Load(ParameterSpec, ReadOnlySpan{double})"/>: the twin always starts from the engine's numbers.
/// <code>
/// using var twin = new SpecTwin(ArchitectureSpec.Parse("lenet5"), float64);
/// twin.Load(parameters);                 // ParameterSet&lt;double&gt;, bit for bit
/// var pass = twin.Forward(images, null); // eval: every named layer's output
/// </code>
/// </summary>
public sealed class SpecTwin : nn.Module<Tensor, Tensor>
{
    readonly List<(SpecLayer Layer, nn.Module Module)> layers = new();
    readonly Dictionary<string, Parameter> byName;

    public SpecTwin(ArchitectureSpec spec, ScalarType dtype) : base(nameof(SpecTwin))
    {
        if (dtype != float64 && dtype != float32)
            throw new ArgumentException($"the twin computes in float64 or float32, not {dtype}", nameof(dtype));
        Spec = spec;
        DType = dtype;
        foreach (var layer in spec.Layers)
        {
            nn.Module module;
            // TorchSharp's Conv2d constructor leaves one temporary tensor of its initialisation undisposed; built in a
            // scope, it is freed now (a module's parameters are not the scope's to free).
            using (NewDisposeScope()) module = Create(layer, dtype);
            register_module(layer.Name, module);
            layers.Add((layer, module));
        }
        byName = named_parameters().ToDictionary(p => p.name, p => p.parameter);
        CheckStateDict();
    }

    /// <summary>The spec this twin was built from.</summary>
    public ArchitectureSpec Spec { get; }

    /// <summary>float64 or float32.</summary>
    public ScalarType DType { get; }

    /// <summary>The trainable tensor called <paramref name="name"/> (a spec parameter name).</summary>
    public Parameter Parameter(string name) =>
        byName.TryGetValue(name, out var p) ? p : throw new ArgumentException($"the twin has no parameter '{name}'", nameof(name));

    // torch.nn's module for each spec layer, built as a PyTorch user would write it.
    static nn.Module Create(SpecLayer layer, ScalarType dtype) => layer.Spec switch
    {
        Conv2dSpec c => nn.Conv2d(layer.Input.Channels, c.OutChannels, c.Kernel, stride: c.Stride, padding: c.Padding, groups: c.Groups,
            bias: c.Bias, dtype: dtype),
        Pool2dSpec { Kind: PoolKind.Max } p => nn.MaxPool2d(p.Kernel, p.Stride),
        Pool2dSpec p => nn.AvgPool2d(p.Kernel, p.Stride),
        GlobalAvgPoolSpec => nn.AdaptiveAvgPool2d(1),
        BatchNormSpec b when layer.Input.IsVector => nn.BatchNorm1d(layer.Input.Channels, b.Eps, b.Momentum, dtype: dtype),
        BatchNormSpec b => nn.BatchNorm2d(layer.Input.Channels, b.Eps, b.Momentum, dtype: dtype),
        ActivationSpec { Kind: ActivationKind.Tanh } => nn.Tanh(),
        ActivationSpec { Kind: ActivationKind.ReLU } => nn.ReLU(),
        ActivationSpec { Kind: ActivationKind.ReLU6 } => nn.ReLU6(),
        ActivationSpec { Kind: ActivationKind.Sigmoid } => nn.Sigmoid(),
        DropoutSpec d => new MaskedDropout(layer.Name, d.P),
        FlattenSpec => nn.Flatten(),
        DenseSpec d => nn.Linear(layer.Input.Channels, d.Outputs, d.Bias, dtype: dtype),
        CropSpec c => new Crop2d(layer.Name, c.Side),
        _ => throw new NotSupportedException($"no TorchSharp module for layer {layer.Name} '{layer.Spec.Text}'"),
    };

    // The state_dict must be the spec's parameter list, name for name and shape for shape, in order: the names are
    // how every copy and every comparison finds its tensor.
    void CheckStateDict()
    {
        var twin = byName.Select(p => $"{p.Key} ({string.Join("x", p.Value.shape)})");
        var spec = Spec.Parameters.Select(p => $"{p.Name} ({string.Join("x", p.Shape)})");
        if (!twin.SequenceEqual(spec))
            throw new InvalidOperationException($"the twin's state_dict [{string.Join(", ", twin)}] is not the spec's [{string.Join(", ", spec)}]");
        var buffers = named_buffers().Select(b => $"{b.name} ({string.Join("x", b.buffer.shape)})");
        var specBuffers = Spec.Buffers.Select(b => $"{b.Name} ({string.Join("x", b.Shape)})");
        if (!buffers.SequenceEqual(specBuffers))
            throw new InvalidOperationException($"the twin's buffers [{string.Join(", ", buffers)}] are not the spec's [{string.Join(", ", specBuffers)}]");
    }

    /// <summary>Copies one parameter in, bit for bit in float64 (rounded once, to nearest, in a float32 twin).</summary>
    public void Load(ParameterSpec spec, ReadOnlySpan<double> values)
    {
        using var _ = no_grad();
        using var source = SpecLayout.ToTorch(values, spec.Shape, float64);
        Parameter(spec.Name).copy_(source);
    }

    /// <summary>Copies one float32 parameter in (the engine's float32 values, exactly).</summary>
    public void Load(ParameterSpec spec, ReadOnlySpan<float> values)
    {
        using var _ = no_grad();
        using var source = SpecLayout.ToTorch(values, spec.Shape);
        Parameter(spec.Name).copy_(source);
    }

    /// <summary>One buffer's current values as float64 (batch norm's running statistics, <see cref="ArchitectureSpec.Buffers"/>).</summary>
    public double[] Buffer(string name)
    {
        using var scope = NewDisposeScope();
        var buffer = named_buffers().FirstOrDefault(b => b.name == name).buffer
            ?? throw new ArgumentException($"the twin has no buffer '{name}'", nameof(name));
        return SpecLayout.ToDoubles(buffer.to_type(float64));
    }

    /// <summary>One parameter's current values as float64, in the spec's (PyTorch's) layout.</summary>
    public double[] Values(string name) => SpecLayout.ToDoubles(Parameter(name));

    /// <summary>One parameter's gradient from the last backward pass as float64, or null if none was computed.</summary>
    public double[]? Gradient(string name)
    {
        using var scope = NewDisposeScope(); // .grad hands out a new tensor handle on every read
        return Parameter(name).grad is { } g ? SpecLayout.ToDoubles(g) : null;
    }

    /// <summary>(B, 1, 28, 28) in this twin's dtype, from B·784 values x/255.</summary>
    public Tensor Images(ReadOnlySpan<double> images, int batch) => SpecLayout.Images(images, batch, DType);

    /// <summary>
    /// Each dropout layer's scale (0 or 1/(1-p), B·size values by layer name) as a tensor of the layer's output shape in
    /// this twin's dtype; null (eval) when there are no masks, which a spec with dropout layers refuses.
    /// </summary>
    public Dictionary<string, Tensor>? DropoutScales(Func<string, double[]>? masks, int batch)
    {
        var dropouts = Spec.Layers.Where(l => l.Spec is DropoutSpec).ToList();
        if (masks is null)
            return dropouts.Count == 0 ? new Dictionary<string, Tensor>() : throw new ArgumentException("the spec has dropout layers, but no masks were given");
        return dropouts.ToDictionary(l => l.Name, l => SpecLayout.ToTorch(masks(l.Name), SpecLayout.OutputShape(l, batch), DType));
    }

    /// <summary>Logits without dropout (eval).</summary>
    public override Tensor forward(Tensor images) => Forward(images, null).Logits;

    /// <summary>
    /// Every layer in spec order; every named layer's output is kept. Call within a dispose scope: the outputs belong to it.
    /// </summary>
    /// <param name="images">(B, 1, 28, 28) in this twin's dtype</param>
    /// <param name="dropoutScales">per dropout layer name, its 0 or 1/(1-p) scale in the layer's output shape and
    /// this twin's dtype (training, lockstep); null for eval (every dropout is the identity)</param>
    public TwinPass Forward(Tensor images, IReadOnlyDictionary<string, Tensor>? dropoutScales)
    {
        var outputs = new List<(string, Tensor)>(layers.Count);
        var x = images;
        // Masks mean a training pass, as for the engine: batch norm then takes the batch's statistics and updates its buffers.
        foreach (var (layer, module) in layers)
            if (layer.Spec is BatchNormSpec) module.train(dropoutScales is not null);
        foreach (var (layer, module) in layers)
        {
            x = module switch
            {
                MaskedDropout dropout => dropout.forward(x, Scale(layer, dropoutScales)),
                nn.Module<Tensor, Tensor> m => m.call(x), // call, as PyTorch's __call__: its hooks run too
                _ => throw new InvalidOperationException($"layer {layer.Name} has no forward of one tensor"),
            };
            outputs.Add((layer.Name, x));
        }
        return new TwinPass(outputs);
    }

    static Tensor? Scale(SpecLayer layer, IReadOnlyDictionary<string, Tensor>? scales)
    {
        if (scales is null) return null;
        return scales.TryGetValue(layer.Name, out var scale) ? scale
            : throw new ArgumentException($"no dropout mask for layer {layer.Name} in a training pass", nameof(scales));
    }
}
