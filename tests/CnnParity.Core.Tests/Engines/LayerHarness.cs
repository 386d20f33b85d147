using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Layers;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// Runs one engine layer of a spec on its own, in float64, on random inputs in [-1, 1) and the spec's initial weights:
/// forward, and backward from a given output gradient (the input gradient and every parameter gradient).
/// </summary>
internal sealed unsafe class LayerHarness
{
    public LayerHarness(string specText, int layerIndex, int batch, uint seed = 5)
    {
        Spec = ArchitectureSpec.Parse(specText);
        Layer = Spec.Layers[layerIndex];
        Batch = batch;
        var random = new NumPyRandomState(seed);
        Parameters = ParameterSet<double>.Initialize(Spec, random);
        Masks = DropoutMasks.Draw(Spec, batch, random);
        Input = OrderedMatMulTests.Draw<double>(random, batch * Layer.Input.Size);
        OutputGradient = OrderedMatMulTests.Draw<double>(random, batch * Layer.Output.Size);
    }

    public ArchitectureSpec Spec { get; }

    public SpecLayer Layer { get; }

    public int Batch { get; }

    public ParameterSet<double> Parameters { get; }

    public DropoutMasks Masks { get; }

    public double[] Input { get; }

    /// <summary>The r of the objective Σ r·y whose gradient the backward pass computes.</summary>
    public double[] OutputGradient { get; }

    /// <summary>This layer's parameters (state_dict names).</summary>
    public IEnumerable<string> ParameterNames => Spec.Parameters.Where(p => p.Layer == Layer).Select(p => p.Name);

    public double[] Forward() => Forward(Input, Parameters);

    public double[] Forward(double[] input, ParameterSet<double> parameters)
    {
        EngineLayer<double> layer = Bound(parameters);
        double[] x = PinnedArray.Copy<double>(input), y = PinnedArray.Allocate<double>(Batch * Layer.Output.Size);
        double[] scratch = PinnedArray.Allocate<double>(Math.Max(layer.WorkspaceSize, 1));
        layer.Forward(PinnedArray.Address(x), PinnedArray.Address(y), 0, Batch, PinnedArray.Address(scratch));
        return y;
    }

    /// <summary>The input gradient and the parameter gradients of Σ r·y, computed by the layer's backward pass with <paramref name="threads"/>' task split.</summary>
    public (double[] Input, ParameterSet<double> Parameters) Backward(int threads = 1)
    {
        EngineLayer<double> layer = Bound(Parameters);
        double[] x = PinnedArray.Copy<double>(Input), y = Forward();
        double[] dy = PinnedArray.Copy<double>(OutputGradient), dx = PinnedArray.Allocate<double>(Input.Length);
        double[] scratch = PinnedArray.Allocate<double>(Math.Max(layer.WorkspaceSize, 1));
        ParameterSet<double> gradients = ParameterSet<double>.Zeros(Spec);
        double[] yPinned = PinnedArray.Copy<double>(y);
        layer.BeginBackward(Batch);
        layer.BackwardInput(PinnedArray.Address(x), PinnedArray.Address(yPinned), PinnedArray.Address(dy), PinnedArray.Address(dx), 0, Batch,
            PinnedArray.Address(scratch));
        for (int task = 0; task < layer.GradientTasks(threads); task++)
        {
            layer.BackwardParameters(task, threads, PinnedArray.Address(x), PinnedArray.Address(dy), Batch, gradients);
        }
        return (dx, gradients);
    }

    /// <summary>Σ r·y in order, the objective whose gradient <see cref="Backward"/> gives.</summary>
    public double Objective(double[] input, ParameterSet<double> parameters)
    {
        double[] y = Forward(input, parameters);
        double sum = 0;
        for (int i = 0; i < y.Length; i++)
        {
            sum += OutputGradient[i] * y[i];
        }
        return sum;
    }

    private EngineLayer<double> Bound(ParameterSet<double> parameters)
    {
        EngineLayer<double> layer = EngineLayer<double>.Create(Layer, NumPyExpKernel.Svml);
        layer.Bind(parameters);
        layer.BindMasks(Masks, Batch);
        return layer;
    }
}
