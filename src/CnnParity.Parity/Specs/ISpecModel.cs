using CnnParity.Core;
using CnnParity.Core.Architecture;

namespace CnnParity.Parity.Specs;

/// <summary>
/// One side of a parity check: a network built from a spec that can run a batch forward (every named layer's
/// output kept), give the softmax cross-entropy of that pass (divided as the spec's <see cref="Core.Engines.ModelOptions"/> say)
/// and its gradient per named parameter, and have one parameter entry changed (for finite differences). The from-scratch
/// engine is one (<see cref="EngineModel{T}"/>; for ch10 in float64 <see cref="Chapter10Model"/>), its TorchSharp twin the
/// other (<see cref="TwinModel"/>); every number crosses this seam as float64, exactly (a float32 value is a float64
/// value), in the spec's layout.
/// </summary>
public interface ISpecModel : IDisposable
{
    ArchitectureSpec Spec { get; }

    /// <summary>What it computes in.</summary>
    Dtype Dtype { get; }

    /// <summary>"engine" or "twin": how the checks name this side.</summary>
    string Name { get; }

    /// <param name="images">batch x 784 pixels (x/255), image after image</param>
    /// <param name="masks">each dropout layer's scale (0 or 1/(1-p)) by layer name, batch·size values; null for eval (no dropout)</param>
    ISpecModelPass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks);

    /// <summary>One parameter's current values in PyTorch's layout.</summary>
    double[] Parameter(string name);

    /// <summary>Sets entry <paramref name="index"/> of parameter <paramref name="name"/> (rounded to the model's dtype).</summary>
    void SetParameter(string name, int index, double value);
}

/// <summary>One forward pass of an <see cref="ISpecModel"/>, and what follows from it.</summary>
public interface ISpecModelPass : IDisposable
{
    /// <summary>The output of the layer called <paramref name="layer"/>, in the spec's layout (NCHW, or (B, F) after flatten).</summary>
    double[] Output(string layer);

    /// <summary>Softmax cross-entropy of the logits against <paramref name="labels"/>: torch's reduction "mean", or Σ/B² for chapter 10.</summary>
    double Loss(ReadOnlySpan<byte> labels);

    /// <summary>The gradient of <see cref="Loss"/> for every named parameter.</summary>
    IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels);
}
