namespace CnnParity.Core.Architecture;

/// <summary>
/// A layer placed in a spec: its 1-based position, its name (kind and count, as <c>conv1</c>, <c>tanh2</c>,
/// <c>dense3</c>: the names the from-scratch engine, the TorchSharp twin, the reports and the ONNX graph all use),
/// and the shapes it takes and gives for one image.
/// </summary>
public sealed record SpecLayer(int Position, string Name, LayerSpec Spec, ActivationShape Input, ActivationShape Output)
{
    /// <summary>Trainable values of this layer.</summary>
    public long Parameters => Spec.Parameters(Input);

    /// <summary>Forward multiply-adds per image.</summary>
    public long MultiplyAdds => Spec.MultiplyAdds(Input);
}

/// <summary>
/// One trainable tensor, named as PyTorch's state_dict names it (<c>conv1.weight</c>, <c>dense2.bias</c>), in PyTorch's
/// layout: a convolution weight is (out, in, k, k), a dense weight (out, in), a bias (out).
/// </summary>
/// <param name="FanIn">inputs per output (in/g·k·k, or in): the initialisation's bound is 1/√FanIn, as PyTorch's default</param>
/// <param name="Constant">the value PyTorch starts it at instead of drawing (batch norm's γ = 1 and β = 0); null: drawn</param>
public sealed record ParameterSpec(string Name, SpecLayer Layer, long[] Shape, int FanIn, double? Constant = null)
{
    /// <summary>Values in the tensor.</summary>
    public int Size => (int)Shape.Aggregate(1L, (a, b) => a * b);

    /// <summary>"weight" or "bias".</summary>
    public string Role => Name[(Name.LastIndexOf('.') + 1)..];
}

/// <summary>
/// One buffer, state that is not trained (batch norm's <c>running_mean</c>, <c>running_var</c>, <c>num_batches_tracked</c>),
/// named as PyTorch's state_dict names it; <paramref name="Shape"/> is empty for a scalar.
/// </summary>
/// <param name="Initial">every element's value before the first training batch (PyTorch's reset_running_stats)</param>
public sealed record BufferSpec(string Name, SpecLayer Layer, long[] Shape, double Initial)
{
    /// <summary>Values in the tensor (1 for a scalar).</summary>
    public int Size => (int)Shape.Aggregate(1L, (a, b) => a * b);
}
