using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Kernels;
using CnnParity.Core.Engines.Layers;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines;

/// <summary>
/// One layer of the from-scratch engine on its own, at any input shape and batch, in float64: the truth that single
/// LibTorch operations are held against (<c>cnnparity doctor</c>). It runs the engine's own layer classes
/// (Engines/Layers, each stating the order of its sums), so nothing here computes a layer a second way; the softmax
/// functions are the engine's loss (<see cref="SoftmaxCrossEntropy{T}"/>) and the log-softmax that loss is made of.
/// <code>
/// var conv = new OpReference(new Conv2dSpec(1024, 1, Stride: 2), ActivationShape.Image(512, 8, 8), batch: 2);
/// double[] y = conv.Forward(x, [weight, bias]);                          // (2, 1024, 4, 4), flat
/// double[][] dParameters = conv.ParameterGradients(x, [weight, bias], dY); // dWeight, dBias
/// </code>
/// Threads split whole images (and whole parameter rows), never a sum: the bits do not depend on their number.
/// </summary>
public sealed unsafe class OpReference
{
    private readonly ArchitectureSpec _spec;
    private readonly EngineLayer<double> _layer;
    private readonly int _threads;

    /// <param name="layer">a conv, pool, activation or dense layer (dense takes <see cref="ActivationShape.Vector"/>)</param>
    /// <param name="input">one image's (or vector's) shape</param>
    /// <param name="batch">images per pass</param>
    /// <param name="threads">threads for the pass (the same bits for any number)</param>
    public OpReference(LayerSpec layer, ActivationShape input, int batch, int threads = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (layer is DropoutSpec or FlattenSpec or CropSpec)
        {
            throw new ArgumentException($"{layer.Text} is not an operation with a float64 truth of its own", nameof(layer));
        }
        if (layer is BatchNormSpec)
        {
            throw new ArgumentException($"{layer.Text} needs its whole batch at once (SpecNetwork runs it); OpReference runs layers image by image", nameof(layer));
        }
        _spec = ArchitectureSpec.OneLayer(layer, input);
        _layer = EngineLayer<double>.Create(_spec.Layers[0], NumPyExpKernel.Svml);
        _threads = threads;
        Batch = batch;
    }

    /// <summary>The layer placed on its input: its name (<c>conv1</c>), input and output shapes.</summary>
    public SpecLayer Layer => _spec.Layers[0];

    public int Batch { get; }

    /// <summary>The layer's parameters in PyTorch's order and shapes (weight, then bias when it has one); none for the rest.</summary>
    public IReadOnlyList<ParameterSpec> Parameters => _spec.Parameters;

    /// <summary>
    /// The same op in the float64 reference (<see cref="Reference.ReferenceNetwork"/>), holding <paramref name="parameters"/>:
    /// its passes carry, beside every value, the variance of a lower precision's rounding of it — what bounds LibTorch's
    /// float32 (or float64) result around the truth.
    /// </summary>
    public Reference.ReferenceNetwork Rounding(IReadOnlyList<double[]> parameters) =>
        new(_spec, name => parameters[_spec.Parameters.Select(p => p.Name).ToList().IndexOf(name)]);

    /// <summary>The output, <see cref="Batch"/> × output size values, from the input in PyTorch's layout (NCHW, or B × F).</summary>
    public double[] Forward(ReadOnlySpan<double> input, IReadOnlyList<double[]> parameters) =>
        Pass(input, parameters, dOutput: default, backward: false).Output;

    /// <summary>The gradient with respect to the input, from the gradient of the output.</summary>
    public double[] InputGradient(ReadOnlySpan<double> input, IReadOnlyList<double[]> parameters, ReadOnlySpan<double> dOutput) =>
        Pass(input, parameters, dOutput, backward: true).DInput!;

    /// <summary>The gradient of each parameter (in <see cref="Parameters"/> order), from the gradient of the output.</summary>
    public double[][] ParameterGradients(ReadOnlySpan<double> input, IReadOnlyList<double[]> parameters, ReadOnlySpan<double> dOutput)
    {
        var gradients = Pass(input, parameters, dOutput, backward: true).Gradients!;
        return [.. Parameters.Select(p => gradients[p.Name])];
    }

    /// <summary>
    /// torch.nn.functional.log_softmax over each row of <paramref name="classes"/> values, as the engine's loss computes
    /// it: <c>m</c> the first maximum, <c>s = Σ exp(z[j] - m)</c> in order, <c>y[j] = (z[j] - m) - log(s)</c>.
    /// </summary>
    public static double[] LogSoftmax(ReadOnlySpan<double> logits, int batch, int classes)
    {
        CheckRows(logits.Length, batch, classes);
        var y = new double[batch * classes];
        for (int b = 0; b < batch; b++)
        {
            var z = logits.Slice(b * classes, classes);
            double m = z[0];
            for (int j = 1; j < classes; j++)
            {
                m = z[j] > m ? z[j] : m;
            }
            double s = 0;
            for (int j = 0; j < classes; j++)
            {
                s += ScalarMath<double>.Exp(z[j] - m, NumPyExpKernel.Svml);
            }
            double log = Math.Log(s);
            for (int j = 0; j < classes; j++)
            {
                y[b * classes + j] = (z[j] - m) - log;
            }
        }
        return y;
    }

    /// <summary>
    /// The input gradient of <see cref="LogSoftmax"/>, PyTorch's <c>_log_softmax_backward_data</c>:
    /// <c>dz[j] = dy[j] - exp(y[j]) · Σ dy</c>, the sum in order, from the output <paramref name="output"/>.
    /// </summary>
    public static double[] LogSoftmaxBackward(ReadOnlySpan<double> output, ReadOnlySpan<double> dOutput, int batch, int classes)
    {
        CheckRows(output.Length, batch, classes);
        CheckRows(dOutput.Length, batch, classes);
        var dz = new double[batch * classes];
        for (int b = 0; b < batch; b++)
        {
            double sum = 0;
            for (int j = 0; j < classes; j++)
            {
                sum += dOutput[b * classes + j];
            }
            for (int j = 0; j < classes; j++)
            {
                int i = b * classes + j;
                dz[i] = dOutput[i] - ScalarMath<double>.Exp(output[i], NumPyExpKernel.Svml) * sum;
            }
        }
        return dz;
    }

    /// <summary>torch.nn.functional.cross_entropy (mean over the batch): the engine's loss.</summary>
    public static double CrossEntropy(ReadOnlySpan<double> logits, ReadOnlySpan<byte> labels, int batch, int classes)
    {
        CheckRows(logits.Length, batch, classes);
        fixed (double* z = logits)
        {
            return SoftmaxCrossEntropy<double>.Loss(z, labels, batch, classes, NumPyExpKernel.Svml);
        }
    }

    /// <summary>The gradient of <see cref="CrossEntropy"/> with respect to the logits: the engine's loss gradient.</summary>
    public static double[] CrossEntropyBackward(ReadOnlySpan<double> logits, ReadOnlySpan<byte> labels, int batch, int classes)
    {
        CheckRows(logits.Length, batch, classes);
        SoftmaxCrossEntropy<double>.CheckLabels(labels, batch, classes);
        var dz = new double[batch * classes];
        fixed (double* z = logits, d = dz)
        fixed (byte* l = labels)
        {
            SoftmaxCrossEntropy<double>.Backward(z, l, batch, classes, NumPyExpKernel.Svml, d, 0, batch);
        }
        return dz;
    }

    private static void CheckRows(int length, int batch, int classes)
    {
        if (batch < 1 || classes < 1 || length != batch * classes)
        {
            throw new ArgumentException($"{length} values are not {batch} rows of {classes}");
        }
    }

    private (double[] Output, double[]? DInput, ParameterSet<double>? Gradients) Pass(
        ReadOnlySpan<double> input, IReadOnlyList<double[]> parameters, ReadOnlySpan<double> dOutput, bool backward)
    {
        int inSize = _layer.InputSize, outSize = _layer.OutputSize;
        Check("input", input.Length, Batch * inSize);
        if (parameters.Count != Parameters.Count)
        {
            throw new ArgumentException($"{Layer.Spec.Text} takes {Parameters.Count} parameters, got {parameters.Count}", nameof(parameters));
        }
        var set = ParameterSet<double>.FromArrays(_spec, parameters);
        double[] x = PinnedArray.Copy(input), y = PinnedArray.Allocate<double>(Batch * outSize);
        _layer.Bind(set);
        _layer.BindMasks(null, Batch);
        nint xp = (nint)PinnedArray.Address(x), yp = (nint)PinnedArray.Address(y);
        Images((b0, b1, workspace) => _layer.Forward((double*)xp, (double*)yp, b0, b1, (double*)workspace));
        if (!backward)
        {
            // The layer and the threads hold raw pointers: the arrays must outlive the pass (a pinned array is still collected).
            GC.KeepAlive(set);
            GC.KeepAlive(x);
            return (y, null, null);
        }

        Check("output gradient", dOutput.Length, Batch * outSize);
        double[] dy = PinnedArray.Copy(dOutput), dx = PinnedArray.Allocate<double>(Batch * inSize);
        nint dyp = (nint)PinnedArray.Address(dy), dxp = (nint)PinnedArray.Address(dx);
        _layer.BeginBackward(Batch);
        Images((b0, b1, workspace) => _layer.BackwardInput((double*)xp, (double*)yp, (double*)dyp, (double*)dxp, b0, b1, (double*)workspace));
        var gradients = ParameterSet<double>.Zeros(_spec);
        int tasks = _layer.GradientTasks(_threads);
        Parallel.For(0, tasks, Options, task => _layer.BackwardParameters(task, _threads, (double*)xp, (double*)dyp, Batch, gradients));
        GC.KeepAlive(set);
        GC.KeepAlive(x);
        GC.KeepAlive(dy);
        return (y, dx, gradients);
    }

    private ParallelOptions Options => new() { MaxDegreeOfParallelism = _threads };

    // Contiguous ranges of whole images, one per thread, each with a workspace of its own.
    private void Images(Action<int, int, nint> body)
    {
        int parts = Math.Min(_threads, Batch);
        Parallel.For(0, parts, Options, part =>
        {
            int b0 = (int)((long)Batch * part / parts), b1 = (int)((long)Batch * (part + 1) / parts);
            double[] workspace = PinnedArray.Allocate<double>(Math.Max(_layer.WorkspaceSize, 1));
            body(b0, b1, (nint)PinnedArray.Address(workspace));
            GC.KeepAlive(workspace);
        });
    }

    private static void Check(string what, int length, int expected)
    {
        if (length != expected)
        {
            throw new ArgumentException($"the {what} has {length} values, the layer takes {expected}");
        }
    }
}
