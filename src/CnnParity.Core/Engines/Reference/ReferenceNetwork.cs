using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// The float64 reference of a spec: every layer's textbook formula in plain loops (Engines/Reference, one file per
/// kind), softmax cross-entropy on top, and beside every value the variance of the error a float32 computation of it makes
/// by rounding, carried from layer to layer forward and backward (<see cref="Carried"/>, <see cref="RoundedSum"/>). It is
/// the third float64 opinion beside the from-scratch engine and the TorchSharp twin (two that agree make the truth), and
/// it says how far from that truth a correct float32 implementation may land. Its backward pass can route through
/// another pass's branch decisions (<see cref="BranchDecisions"/>), to give the truth of a float32 side whose ReLU signs
/// or max-pool picks rounding has flipped.
/// <code>
/// var reference = new ReferenceNetwork(spec, name => parameters[name]);
/// var pass = reference.Forward(images, batch, masks);
/// var gradients = reference.Backward(pass, labels, BranchDecisions.FromOutputs(spec, images, batch, twinOutputs));
/// </code>
/// </summary>
/// <param name="parameters">every parameter by spec name, in PyTorch's layout (exact: the float32 values widened, for a float32 truth)</param>
/// <param name="loss">how the loss scales Σ_b CE_b: by 1/B (the mean, PyTorch's default) or 1/B² (chapter 10's Σ/B²)</param>
public sealed class ReferenceNetwork(ArchitectureSpec spec, Func<string, double[]> parameters, LossScale loss = LossScale.Mean)
{
    private readonly ReferenceLayer[] _layers = spec.Layers.Select(l => ReferenceLayer.Create(l, parameters)).ToArray();

    public ArchitectureSpec Spec { get; } = spec;

    /// <summary>The loss's power of the batch size (<c>L = Σ CE / B^k</c>).</summary>
    public int BatchPower { get; } = loss == LossScale.SumOverBatchSquared ? 2 : 1;

    private int Classes => Spec.Layers[^1].Output.Size;

    /// <param name="images">batch × 784 values; exact (a float32 truth takes the images as float32 rounded them)</param>
    /// <param name="masks">each dropout layer's scales by layer name (exact, likewise); null for evaluation</param>
    public ReferencePass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks)
    {
        var input = Carried.Exact(images[..(batch * Spec.Input.Size)].ToArray());
        var outputs = new Carried[_layers.Length];
        var x = input;
        for (int l = 0; l < _layers.Length; l++)
        {
            _layers[l].Training = masks is not null;
            x = outputs[l] = _layers[l].Forward(x, batch, Mask(l, masks));
        }
        return new ReferencePass(Spec, batch, input, outputs, masks);
    }

    /// <summary>The loss of the pass and its variance (units of u²).</summary>
    public (double Value, double Variance) Loss(ReferencePass pass, ReadOnlySpan<byte> labels) =>
        ReferenceLoss.Loss(pass.Logits, labels, pass.Batch, Classes, BatchPower);

    /// <summary>softmax of the pass's logits, with variances (a deployed model's probabilities output).</summary>
    public Carried Probabilities(ReferencePass pass) => ReferenceLoss.Probabilities(pass.Logits, pass.Batch, Classes);

    /// <summary>The branch decisions the pass itself took (its own ReLU signs and max-pool picks).</summary>
    public BranchDecisions Decisions(ReferencePass pass)
    {
        var decisions = new Dictionary<string, int[]>();
        for (int l = 0; l < _layers.Length; l++)
            if (_layers[l].Decisions(pass.InputOf(l), pass.Output(l), pass.Batch) is { } d) decisions[_layers[l].Name] = d;
        return new BranchDecisions(decisions);
    }

    /// <summary>
    /// The gradient of the loss for every parameter by name, with variances. <paramref name="decisions"/>: route every ReLU
    /// and max-pool as these say (a float32 side's own, <see cref="BranchDecisions.FromOutputs"/>); null for the pass's own.
    /// </summary>
    public IReadOnlyDictionary<string, Carried> Backward(ReferencePass pass, ReadOnlySpan<byte> labels, BranchDecisions? decisions = null) =>
        Backward(pass, ReferenceLoss.Backward(pass.Logits, labels, pass.Batch, Classes, BatchPower), decisions).Parameters;

    /// <summary>
    /// The backward pass from a given gradient of the last layer's output (exact, or carrying its own variance): every
    /// parameter's gradient by name and the gradient of the input, with variances.
    /// </summary>
    public (IReadOnlyDictionary<string, Carried> Parameters, Carried Input) Backward(ReferencePass pass, Carried dOutput, BranchDecisions? decisions = null)
    {
        var gradients = new Dictionary<string, Carried>();
        var d = dOutput;
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            var layer = _layers[l];
            layer.Training = pass.Masks is not null;
            d = layer.Backward(pass.InputOf(l), pass.Output(l), d, pass.Batch, Mask(l, pass.Masks), decisions?.Of(layer.Name), gradients);
        }
        return (gradients, d);
    }

    /// <summary>
    /// A buffer's current values by its state_dict name (batch norm's running_mean, running_var, num_batches_tracked), with
    /// their carried rounding; every training pass updates them.
    /// </summary>
    public Carried Buffer(string name)
    {
        var buffer = Spec.Buffers.FirstOrDefault(b => b.Name == name) ?? throw new ArgumentException($"the spec has no buffer '{name}'", nameof(name));
        var layer = (ReferenceBatchNorm)_layers[buffer.Layer.Position - 1];
        return name[(name.LastIndexOf('.') + 1)..] switch
        {
            "running_mean" => layer.Running.Mean,
            "running_var" => layer.Running.Var,
            _ => Carried.Exact([layer.BatchesTracked]),
        };
    }

    private double[]? Mask(int l, Func<string, double[]>? masks) =>
        masks is not null && _layers[l].Layer.Spec is DropoutSpec ? masks(_layers[l].Name) : null;
}
