using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// One layer of <see cref="SpecNetwork{T}"/>: its forward and backward passes as plain loops over a range of images,
/// in PyTorch's layout (a batch is image after image, NCHW, or B×F after flatten). Each kind lives in its own file and
/// says there in which order each of its sums runs; every output is one sequential sum that starts at +0, so the
/// NumPy reference (reference/spec_reference.py) can follow the same order and the thread count changes nothing.
/// <para>
/// A pass over a batch runs in three phases, each split between threads by whole outputs:
/// <see cref="Forward"/> and <see cref="BackwardInput"/> take a range of images (what happens to one image never
/// depends on another); <see cref="BackwardParameters"/> takes a task, a block of a parameter's rows, and sums over the
/// whole batch. Pointers stay valid for the whole pass: every array the engine touches is pinned.
/// </para>
/// </summary>
internal abstract unsafe class EngineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    protected EngineLayer(SpecLayer layer)
    {
        Layer = layer;
        InputSize = layer.Input.Size;
        OutputSize = layer.Output.Size;
    }

    public SpecLayer Layer { get; }

    public string Name => Layer.Name;

    /// <summary>Values per image in and out.</summary>
    public int InputSize { get; }

    public int OutputSize { get; }

    /// <summary>True for flatten: its output is its input, the same array.</summary>
    public virtual bool PassesInputThrough => false;

    /// <summary>Per-thread workspace (in T) that <see cref="Forward"/> and <see cref="BackwardInput"/> need.</summary>
    public virtual int WorkspaceSize => 0;

    /// <summary>Takes this pass's parameters (and prepares any rearranged copy of them); called before each pass.</summary>
    public virtual void Bind(ParameterSet<T> parameters)
    {
    }

    /// <summary>Takes this batch's dropout masks (null: evaluation); called before each pass.</summary>
    public virtual void BindMasks(DropoutMasks? masks, int batch)
    {
    }

    /// <summary>Output of images [b0, b1): image b reads <c>input + b·InputSize</c> and writes <c>output + b·OutputSize</c>.</summary>
    public abstract void Forward(T* input, T* output, int b0, int b1, T* workspace);

    /// <summary>
    /// Whether an image's output needs the whole batch's input (batch norm's statistics): the network then runs the layers
    /// before it over every image, calls <see cref="BeginForward"/>, and likewise in the backward pass
    /// <see cref="BeginBackwardInput"/> once every image's output gradient is there.
    /// </summary>
    public virtual bool NeedsWholeBatch => false;

    /// <summary>Called once, single-threaded, with the whole batch's input, before <see cref="Forward"/> (only when <see cref="NeedsWholeBatch"/>).</summary>
    public virtual void BeginForward(T* input, int batch)
    {
    }

    /// <summary>Called once, single-threaded, with the whole batch's output gradient, before <see cref="BackwardInput"/> (only when <see cref="NeedsWholeBatch"/>).</summary>
    public virtual void BeginBackwardInput(T* input, T* output, T* dOutput, int batch)
    {
    }

    /// <summary>Called once, single-threaded, before <see cref="BackwardInput"/> runs for a batch of <paramref name="batch"/>.</summary>
    public virtual void BeginBackward(int batch)
    {
    }

    /// <summary>
    /// The gradient with respect to the input of images [b0, b1), from the gradient of the output.
    /// <paramref name="dInput"/> is null for the first layer (nothing needs the images' gradient); a layer with
    /// parameters still prepares what <see cref="BackwardParameters"/> will read.
    /// </summary>
    public abstract void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace);

    /// <summary>How many independent tasks the parameters' gradients split into (0 without parameters).</summary>
    public virtual int GradientTasks(int threads) => 0;

    /// <summary>Task <paramref name="task"/> of the parameters' gradients over the whole batch, written into <paramref name="gradients"/>.</summary>
    public virtual void BackwardParameters(int task, int threads, T* input, T* dOutput, int batch, ParameterSet<T> gradients)
    {
    }

    /// <summary>Rows per gradient task: at most four (the matrix kernel's block), fewer when that leaves a thread idle.</summary>
    protected static int RowsPerTask(int rows, int threads) => Math.Clamp((rows + 2 * threads - 1) / (2 * threads), 1, 4);

    /// <summary>The engine layer for one spec layer.</summary>
    public static EngineLayer<T> Create(SpecLayer layer, NumPyExpKernel exp) => layer.Spec switch
    {
        Conv2dSpec { Groups: > 1 } conv => new GroupedConv2d<T>(layer, conv),
        Conv2dSpec conv => new Conv2d<T>(layer, conv),
        Pool2dSpec { Kind: PoolKind.Max } pool => new MaxPool2d<T>(layer, pool),
        Pool2dSpec pool => new AvgPool2d<T>(layer, pool),
        GlobalAvgPoolSpec => new GlobalAvgPool2d<T>(layer),
        BatchNormSpec batchNorm => new BatchNorm<T>(layer, batchNorm),
        ActivationSpec { Kind: ActivationKind.Tanh } => new Tanh<T>(layer),
        ActivationSpec { Kind: ActivationKind.ReLU } => new ReLU<T>(layer),
        ActivationSpec { Kind: ActivationKind.ReLU6 } => new ReLU6<T>(layer),
        ActivationSpec { Kind: ActivationKind.Sigmoid } => new Sigmoid<T>(layer, exp),
        DropoutSpec => new Dropout<T>(layer),
        FlattenSpec => new Flatten<T>(layer),
        DenseSpec dense => new Dense<T>(layer, dense),
        CropSpec crop => new Crop<T>(layer, crop),
        _ => throw new NotSupportedException($"no engine layer for {layer.Spec.Text}"),
    };
}
