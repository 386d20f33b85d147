using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Specs;

namespace CnnParity.Parity.Tests.Specs;

/// <summary>A model whose backward pass is off by <c>error</c> in one entry of one parameter's gradient; all else is the inner model's.</summary>
sealed class WrongGradient(ISpecModel inner, string parameter, int index, double error) : ISpecModel
{
    public ArchitectureSpec Spec => inner.Spec;
    public Dtype Dtype => inner.Dtype;
    public string Name => inner.Name;
    public double[] Parameter(string name) => inner.Parameter(name);
    public void SetParameter(string name, int i, double value) => inner.SetParameter(name, i, value);
    public void Dispose() => inner.Dispose();

    public ISpecModelPass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks) =>
        new Pass(inner.Forward(images, batch, masks), parameter, index, error);

    sealed class Pass(ISpecModelPass inner, string parameter, int index, double error) : ISpecModelPass
    {
        public double[] Output(string layer) => inner.Output(layer);
        public double Loss(ReadOnlySpan<byte> labels) => inner.Loss(labels);
        public void Dispose() => inner.Dispose();

        public IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels)
        {
            var gradients = inner.Gradients(labels).ToDictionary(g => g.Key, g => (double[])g.Value.Clone());
            gradients[parameter][index] += error;
            return gradients;
        }
    }
}
