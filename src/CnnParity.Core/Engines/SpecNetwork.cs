using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines.Layers;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch.Fast;

namespace CnnParity.Core.Engines;

/// <summary>
/// The from-scratch network of any <see cref="ArchitectureSpec"/>, in float64 or float32 (T): one engine layer per spec
/// layer (Engines/Layers, one file per kind, each stating the order of its sums), softmax cross-entropy on top.
/// <code>
/// var net = new SpecNetwork&lt;double&gt;(spec, ParameterSet&lt;double&gt;.Initialize(spec, random), threads: 2);
/// ForwardPass&lt;double&gt; pass = net.Forward(images, batch: 8, DropoutMasks.Draw(spec, 8, random));
/// double loss = net.Loss(pass, labels);
/// ParameterSet&lt;double&gt; gradients = net.Backward(pass, labels);
/// </code>
/// <para>
/// Determinism: every output is one sequential sum in a fixed order, no fused multiply-add, so the bits depend on
/// neither the thread count nor the schedule. A pass has three phases, each split between threads by whole outputs:
/// the forward pass and the input gradients by images (an image's values never depend on another's), the parameters'
/// gradients by blocks of parameter rows (each summing over the whole batch in order).
/// </para>
/// <para>Not thread-safe: one pass at a time. <see cref="Parameters"/> is read at each call, so an optimizer may change it in place between calls.</para>
/// </summary>
public sealed unsafe class SpecNetwork<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly EngineLayer<T>[] _layers;
    private readonly WorkerTeam _team;
    private readonly T[][] _workspace;        // per thread
    private readonly ImagesJob _images = new();
    private readonly TasksJob _tasks = new();
    private readonly Action<int, int, int> _forwardImages, _backwardImages;
    private readonly Action<int> _gradientTask;
    private readonly List<(int Layer, int Task)> _taskList = [];

    // The pass being run (set for the length of one call).
    private ForwardPass<T>? _pass;
    private nint[] _outputs = [];   // per layer: its output for the whole batch; [-1] is the input, kept apart
    private nint _input;
    private nint[] _dOutputs = [];  // per layer: the gradient of its output
    private T[][] _gradientBuffers = [];
    private int _gradientBatch = -1;
    private byte[] _labels = [];
    private ParameterSet<T>? _gradients;
    private readonly int[] _wholeBatch;  // the layers that need the whole batch's input (batch norm), in order
    private int _from, _to;              // the layers a phase over images runs: [_from, _to)

    /// <param name="loss">what the summed cross-entropy is divided by: B (mean, as torch) or B² (chapter 10's corrected loss)</param>
    public SpecNetwork(ArchitectureSpec spec, ParameterSet<T> parameters, int threads, NumPyExpKernel exp = NumPyExpKernel.Svml,
        LossScale loss = LossScale.Mean)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        if (!ReferenceEquals(parameters.Spec, spec) && parameters.Spec.Text != spec.Text)
        {
            throw new ArgumentException("the parameters are for another spec", nameof(parameters));
        }
        Spec = spec;
        Parameters = parameters;
        Threads = threads;
        Exp = exp;
        LossScale = loss;
        _layers = spec.Layers.Select(l => EngineLayer<T>.Create(l, exp)).ToArray();
        _wholeBatch = [.. Enumerable.Range(0, _layers.Length).Where(l => _layers[l].NeedsWholeBatch)];
        _team = new WorkerTeam(threads);
        int workspaceSize = _layers.Max(l => l.WorkspaceSize);
        _workspace = Enumerable.Range(0, threads).Select(_ => PinnedArray.Allocate<T>(Math.Max(workspaceSize, 1))).ToArray();
        _forwardImages = ForwardImages;
        _backwardImages = BackwardImages;
        _gradientTask = GradientTask;
    }

    public ArchitectureSpec Spec { get; }

    /// <summary>The weights the passes read (shared, not copied).</summary>
    public ParameterSet<T> Parameters { get; }

    public int Threads { get; }

    /// <summary>The float64 exp of the softmax and of sigmoid layers (the NumPy being mirrored).</summary>
    public NumPyExpKernel Exp { get; }

    /// <summary>What <see cref="Loss"/> divides the batch's summed cross-entropy by (B or B²).</summary>
    public LossScale LossScale { get; }

    private int Classes => Spec.Layers[^1].Output.Size;

    /// <summary>
    /// A buffer's current values by its state_dict name (<see cref="ArchitectureSpec.Buffers"/>: batch norm's running_mean,
    /// running_var and num_batches_tracked), widened to float64; every training pass updates them.
    /// </summary>
    public double[] Buffer(string name)
    {
        var buffer = Spec.Buffers.FirstOrDefault(b => b.Name == name) ?? throw new ArgumentException($"the spec has no buffer '{name}'", nameof(name));
        var layer = (BatchNorm<T>)_layers[buffer.Layer.Position - 1];
        return name[(name.LastIndexOf('.') + 1)..] switch
        {
            "running_mean" => [.. layer.RunningMean.Select(double.CreateTruncating)],
            "running_var" => [.. layer.RunningVar.Select(double.CreateTruncating)],
            _ => [layer.BatchesTracked],
        };
    }

    /// <summary>
    /// The forward pass of <paramref name="batch"/> images (B × 784 values, x/255) with the given dropout masks
    /// (null: evaluation, dropout passes values through). <paramref name="reuse"/>, when it is a pass of this spec and
    /// batch size, is overwritten instead of allocating a new one.
    /// </summary>
    public ForwardPass<T> Forward(ReadOnlySpan<T> images, int batch, DropoutMasks? masks, ForwardPass<T>? reuse = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batch, 1);
        int pixels = Spec.Input.Size;
        if (images.Length < batch * pixels)
        {
            throw new ArgumentException($"{images.Length} values for {batch} images of {pixels}", nameof(images));
        }
        ForwardPass<T> pass = reuse is not null && reuse.Batch == batch && ReferenceEquals(reuse.Spec, Spec)
            ? reuse
            : new ForwardPass<T>(Spec, batch);
        images[..(batch * pixels)].CopyTo(pass.Input);
        pass.Masks = masks;
        Bind(pass, masks);
        // Without batch norm one phase runs every layer; a batch norm layer waits for its input over the whole batch.
        _from = 0;
        foreach (int l in _wholeBatch)
        {
            _to = l;
            _images.Run(_team, _forwardImages, batch);
            _layers[l].BeginForward(InputOf(l), batch);
            _from = l;
        }
        _to = _layers.Length;
        _images.Run(_team, _forwardImages, batch);
        _pass = null;
        return pass;
    }

    /// <summary>The softmax cross-entropy of the pass's logits against <paramref name="labels"/>: summed, divided by B (or B², <see cref="LossScale"/>).</summary>
    public T Loss(ForwardPass<T> pass, ReadOnlySpan<byte> labels)
    {
        fixed (T* logits = pass.Logits)
        {
            return SoftmaxCrossEntropy<T>.Loss(logits, labels, pass.Batch, Classes, Exp, LossScale);
        }
    }

    /// <summary>The gradients of <see cref="Loss"/> with respect to every parameter, by name.</summary>
    public ParameterSet<T> Backward(ForwardPass<T> pass, ReadOnlySpan<byte> labels)
    {
        var gradients = ParameterSet<T>.Zeros(Spec);
        Backward(pass, labels, gradients);
        return gradients;
    }

    /// <summary>As <see cref="Backward(ForwardPass{T}, ReadOnlySpan{byte})"/>, writing into <paramref name="gradients"/> (every value is overwritten).</summary>
    public void Backward(ForwardPass<T> pass, ReadOnlySpan<byte> labels, ParameterSet<T> gradients)
    {
        if (!ReferenceEquals(pass.Spec, Spec) || gradients.Spec.Text != Spec.Text)
        {
            throw new ArgumentException("the pass or the gradients are for another spec");
        }
        int batch = pass.Batch;
        SoftmaxCrossEntropy<T>.CheckLabels(labels, batch, Classes);
        if (_labels.Length < batch)
        {
            _labels = PinnedArray.Allocate<byte>(batch);
        }
        labels[..batch].CopyTo(_labels);
        Bind(pass, pass.Masks);
        PrepareGradientBuffers(batch);
        foreach (EngineLayer<T> layer in _layers)
        {
            layer.BeginBackward(batch);
        }
        // From the loss down, a phase per stretch of layers: a batch norm layer waits for its output gradient over the whole batch.
        _to = _layers.Length;
        for (int i = _wholeBatch.Length - 1; i >= 0; i--)
        {
            int l = _wholeBatch[i];
            _from = l + 1;
            _images.Run(_team, _backwardImages, batch);
            _layers[l].BeginBackwardInput(InputOf(l), (T*)_outputs[l], (T*)_dOutputs[l], batch);
            _to = l + 1;
        }
        _from = 0;
        _images.Run(_team, _backwardImages, batch);

        _gradients = gradients;
        _taskList.Clear();
        for (int l = 0; l < _layers.Length; l++)
        {
            for (int t = 0; t < _layers[l].GradientTasks(Threads); t++)
            {
                _taskList.Add((l, t));
            }
        }
        _tasks.Run(_team, _gradientTask, _taskList.Count);
        _gradients = null;
        _pass = null;
    }

    private void Bind(ForwardPass<T> pass, DropoutMasks? masks)
    {
        _pass = pass;
        _input = (nint)PinnedArray.Address(pass.Input);
        if (_outputs.Length != _layers.Length)
        {
            _outputs = new nint[_layers.Length];
        }
        for (int l = 0; l < _layers.Length; l++)
        {
            _outputs[l] = (nint)PinnedArray.Address(pass.Output(l));
            _layers[l].Bind(Parameters);
            _layers[l].BindMasks(masks, pass.Batch);
        }
    }

    // One array per layer output gradient, B × size; flatten's is the one of the layer after it.
    private void PrepareGradientBuffers(int batch)
    {
        if (_gradientBatch == batch)
        {
            return;
        }
        _gradientBuffers = new T[_layers.Length][];
        _dOutputs = new nint[_layers.Length];
        for (int l = _layers.Length - 1; l >= 0; l--)
        {
            bool shared = l + 1 < _layers.Length && _layers[l + 1].PassesInputThrough;
            _gradientBuffers[l] = shared ? _gradientBuffers[l + 1] : PinnedArray.Allocate<T>(batch * _layers[l].OutputSize);
            _dOutputs[l] = (nint)PinnedArray.Address(_gradientBuffers[l]);
        }
        _gradientBatch = batch;
    }

    private T* InputOf(int l) => (T*)(l == 0 ? _input : _outputs[l - 1]);

    private void ForwardImages(int part, int b0, int b1)
    {
        T* workspace = PinnedArray.Address(_workspace[part]);
        for (int l = _from; l < _to; l++)
        {
            _layers[l].Forward(InputOf(l), (T*)_outputs[l], b0, b1, workspace);
        }
    }

    private void BackwardImages(int part, int b0, int b1)
    {
        T* workspace = PinnedArray.Address(_workspace[part]);
        int last = _layers.Length - 1;
        if (_to == _layers.Length)
        {
            SoftmaxCrossEntropy<T>.Backward((T*)_outputs[last], PinnedArray.Address(_labels), _pass!.Batch, Classes, Exp, (T*)_dOutputs[last], b0, b1, LossScale);
        }
        for (int l = _to - 1; l >= _from; l--)
        {
            T* dInput = l == 0 ? null : (T*)_dOutputs[l - 1];
            _layers[l].BackwardInput(InputOf(l), (T*)_outputs[l], (T*)_dOutputs[l], dInput, b0, b1, workspace);
        }
    }

    private void GradientTask(int index)
    {
        (int l, int task) = _taskList[index];
        _layers[l].BackwardParameters(task, Threads, InputOf(l), (T*)_dOutputs[l], _pass!.Batch, _gradients!);
    }

    /// <summary>Hands out chunks of images to the threads: <c>body(part, b0, b1)</c>.</summary>
    private sealed class ImagesJob : IPartitionedJob
    {
        private WorkerTeam.Chunks _chunks;
        private Action<int, int, int>? _body;

        public void Run(WorkerTeam team, Action<int, int, int> body, int batch)
        {
            _body = body;
            // Four images at a time: the dense layers then multiply four rows per block of weights.
            _chunks.Reset(batch, 4);
            team.Run(this, (batch + 3) / 4);
            _body = null;
        }

        public void Execute(int part, int parts)
        {
            while (_chunks.Next(out int start, out int end))
            {
                _body!(part, start, end);
            }
        }
    }

    /// <summary>Hands out task numbers to the threads: <c>body(task)</c>.</summary>
    private sealed class TasksJob : IPartitionedJob
    {
        private WorkerTeam.Chunks _chunks;
        private Action<int>? _body;

        public void Run(WorkerTeam team, Action<int> body, int count)
        {
            _body = body;
            _chunks.Reset(count, 1);
            team.Run(this, count);
            _body = null;
        }

        public void Execute(int part, int parts)
        {
            while (_chunks.Next(out int start, out _))
            {
                _body!(start);
            }
        }
    }
}
