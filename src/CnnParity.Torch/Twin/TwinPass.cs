using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// The outputs of one <see cref="SpecTwin"/> forward pass, named as the spec's layers, in order, in TorchSharp's
/// layout (which is the engine's: <see cref="SpecLayout"/>). The tensors belong to the dispose scope of the pass.
/// </summary>
public sealed class TwinPass
{
    readonly List<(string Name, Tensor Output)> outputs;

    internal TwinPass(List<(string Name, Tensor Output)> outputs) => this.outputs = outputs;

    /// <summary>The layer names in spec order.</summary>
    public IEnumerable<string> Names => outputs.Select(o => o.Name);

    /// <summary>The output of the layer called <paramref name="name"/>.</summary>
    public Tensor Output(string name)
    {
        foreach (var (n, t) in outputs)
            if (n == name) return t;
        throw new ArgumentException($"the pass has no layer '{name}'", nameof(name));
    }

    /// <summary>The last layer's output: (B, 10) logits.</summary>
    public Tensor Logits => outputs[^1].Output;
}
