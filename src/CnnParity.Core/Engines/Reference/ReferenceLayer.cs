using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// One layer of <see cref="ReferenceNetwork"/>: the textbook formula of its forward and backward pass in plain float64
/// loops, each value carried with the variance of its float32 rounding (<see cref="Carried"/>). Nothing here is tuned for
/// speed or for NumPy's bits: the reference is the third float64 opinion beside the engine and the twin, and the one that
/// knows how far float32 may stray.
/// </summary>
internal abstract class ReferenceLayer(SpecLayer layer)
{
    public SpecLayer Layer { get; } = layer;

    public string Name => Layer.Name;

    protected int InputSize => Layer.Input.Size;

    protected int OutputSize => Layer.Output.Size;

    /// <summary>Whether the pass being run trains (dropout masks given): batch norm normalises with the batch's statistics then.</summary>
    public bool Training { get; set; }

    /// <summary>The layer's output for <paramref name="batch"/> images; <paramref name="mask"/> is a dropout layer's scales (null: evaluation).</summary>
    public abstract Carried Forward(Carried input, int batch, double[]? mask);

    /// <summary>
    /// The gradient with respect to the input, from the gradient of the output; the parameters' gradients go into
    /// <paramref name="gradients"/> by name. <paramref name="decisions"/> are the branch decisions to route by (a ReLU's
    /// signs, a ReLU6's bands, a max-pool's picks; <see cref="BranchDecisions"/>), null for the layer's own.
    /// </summary>
    public abstract Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients);

    /// <summary>The branch decisions this layer takes in the pass (null for a layer without any).</summary>
    public virtual int[]? Decisions(Carried input, Carried output, int batch) => null;

    public static ReferenceLayer Create(SpecLayer layer, Func<string, double[]> parameters) => layer.Spec switch
    {
        Conv2dSpec conv => new ReferenceConv2d(layer, conv, parameters),
        DenseSpec dense => new ReferenceDense(layer, dense, parameters),
        Pool2dSpec { Kind: PoolKind.Max } pool => new ReferenceMaxPool2d(layer, pool),
        Pool2dSpec pool => new ReferenceAvgPool2d(layer, pool),
        GlobalAvgPoolSpec => new ReferenceGlobalAvgPool2d(layer),
        BatchNormSpec batchNorm => new ReferenceBatchNorm(layer, batchNorm, parameters),
        ActivationSpec { Kind: ActivationKind.ReLU } => new ReferenceReLU(layer),
        ActivationSpec { Kind: ActivationKind.ReLU6 } => new ReferenceReLU6(layer),
        ActivationSpec { Kind: ActivationKind.Tanh or ActivationKind.Sigmoid } activation => new ReferenceSmoothActivation(layer, activation.Kind),
        DropoutSpec => new ReferenceDropout(layer),
        FlattenSpec => new ReferenceFlatten(layer),
        CropSpec crop => new ReferenceCrop(layer, crop),
        _ => throw new NotSupportedException($"the float64 reference has no layer for {layer.Spec.Text}"),
    };

    /// <summary>Runs <paramref name="body"/> for every image; each writes only its own outputs, so the order is irrelevant.</summary>
    protected static void ForEachImage(int batch, Action<int> body) => Parallel.For(0, batch, body);
}
