using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>A side that is another model with something changed: what it reports of a layer's output or of the gradients.</summary>
abstract class DecoratedModel(ISpecModel inner) : ISpecModel
{
    public ArchitectureSpec Spec => inner.Spec;
    public Dtype Dtype => inner.Dtype;
    public virtual string Name => inner.Name;
    public double[] Parameter(string name) => inner.Parameter(name);
    public void SetParameter(string name, int i, double value) => inner.SetParameter(name, i, value);
    public void Dispose() => inner.Dispose();

    public ISpecModelPass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks) =>
        new Pass(inner.Forward(images, batch, masks), this);

    /// <summary>What this side reports as layer <paramref name="layer"/>'s output, given the inner model's.</summary>
    protected virtual double[] Output(string layer, double[] values) => values;

    /// <summary>What this side reports as the gradients, given the inner model's.</summary>
    protected virtual IReadOnlyDictionary<string, double[]> Gradients(IReadOnlyDictionary<string, double[]> gradients) => gradients;

    sealed class Pass(ISpecModelPass inner, DecoratedModel model) : ISpecModelPass
    {
        public double[] Output(string layer) => model.Output(layer, inner.Output(layer));
        public double Loss(ReadOnlySpan<byte> labels) => inner.Loss(labels);
        public IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels) => model.Gradients(inner.Gradients(labels));
        public void Dispose() => inner.Dispose();
    }
}
