using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Triage;

/// <summary>
/// A side with a fault planted in one place: the output of one layer, or the gradient of one parameter, scaled by
/// <c>factor</c> (1.001: a 0.1% fault); everything else is the inner model's.
/// </summary>
sealed class PlantedFault(ISpecModel inner, string at, double factor) : ISpecModel
{
    public ArchitectureSpec Spec => inner.Spec;
    public Dtype Dtype => inner.Dtype;
    public string Name => inner.Name;
    public double[] Parameter(string name) => inner.Parameter(name);
    public void SetParameter(string name, int i, double value) => inner.SetParameter(name, i, value);
    public void Dispose() => inner.Dispose();

    public ISpecModelPass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks) =>
        new Pass(inner.Forward(images, batch, masks), at, factor);

    sealed class Pass(ISpecModelPass inner, string at, double factor) : ISpecModelPass
    {
        public double[] Output(string layer) => layer == at ? [.. inner.Output(layer).Select(v => v * factor)] : inner.Output(layer);
        public double Loss(ReadOnlySpan<byte> labels) => inner.Loss(labels);
        public void Dispose() => inner.Dispose();

        public IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels) =>
            inner.Gradients(labels).ToDictionary(g => g.Key, g => g.Key == at ? [.. g.Value.Select(v => v * factor)] : g.Value);
    }
}
