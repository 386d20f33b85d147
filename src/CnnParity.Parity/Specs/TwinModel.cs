using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Torch.Twin;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The TorchSharp twin as an <see cref="ISpecModel"/>: forward through <see cref="SpecTwin"/>, loss by
/// torch.nn.functional.cross_entropy (<see cref="TwinLoss"/>: mean, or Σ/B² for chapter 10), gradients by autograd. Each pass owns a dispose scope, freed with the pass.
/// </summary>
public sealed class TwinModel : ISpecModel
{
    readonly SpecTwin twin;
    readonly LossScale loss;

    /// <summary>A twin of <paramref name="spec"/> holding <paramref name="parameters"/> (by name; rounded once in float32).</summary>
    /// <param name="loss">what the summed cross-entropy is divided by: B (mean) or B² (chapter 10)</param>
    public TwinModel(ArchitectureSpec spec, Dtype dtype, Func<string, double[]> parameters, LossScale loss = LossScale.Mean)
    {
        Dtype = dtype;
        this.loss = loss;
        twin = new SpecTwin(spec, TwinDtype.Of(dtype));
        foreach (var p in spec.Parameters) twin.Load(p, parameters(p.Name));
    }

    public ArchitectureSpec Spec => twin.Spec;

    public Dtype Dtype { get; }

    public string Name => "twin";

    /// <summary>The module itself (for a test that wants to reach into it).</summary>
    public SpecTwin Twin => twin;

    public ISpecModelPass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks)
    {
        var scope = NewDisposeScope();
        try
        {
            var pass = twin.Forward(twin.Images(images, batch), masks is null ? null : twin.DropoutScales(masks, batch));
            return new Pass(this, scope, pass, batch);
        }
        catch
        {
            scope.Dispose();
            throw;
        }
    }

    public double[] Parameter(string name) => twin.Values(name);

    public void SetParameter(string name, int index, double value)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        twin.Parameter(name).view(-1)[index].fill_(value);
    }

    public void Dispose()
    {
        twin.Dispose();
    }

    sealed class Pass(TwinModel model, DisposeScope scope, TwinPass pass, int batch) : ISpecModelPass
    {
        public double[] Output(string layer) => SpecLayout.ToDoubles(pass.Output(layer));

        public double Loss(ReadOnlySpan<byte> labels)
        {
            using var inner = NewDisposeScope();
            return LossTensor(labels).item<double>();
        }

        public IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels)
        {
            using var inner = NewDisposeScope();
            model.twin.zero_grad();
            // The pass's graph is kept (retain_graph) so that a pass can give its loss and gradients in any order.
            LossTensor(labels).backward(retain_graph: true);
            return model.Spec.Parameters.ToDictionary(p => p.Name, p => model.twin.Gradient(p.Name)
                ?? throw new InvalidOperationException($"autograd gave no gradient for {p.Name}"));
        }

        Tensor LossTensor(ReadOnlySpan<byte> labels)
        {
            if (labels.Length != batch) throw new ArgumentException($"{labels.Length} labels for a batch of {batch}");
            return TwinLoss.Of(pass.Logits, labels, model.loss);
        }

        public void Dispose() => scope.Dispose();
    }
}
