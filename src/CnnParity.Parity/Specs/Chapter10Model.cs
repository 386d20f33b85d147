using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Scratch.Fast;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The chapter-10 network's float64 engine — NumPy's bits — as an <see cref="ISpecModel"/> of the <c>ch10</c> spec: the
/// notebook's <c>kernel_output</c>, tanh, <c>layer_1 *= mask * 2</c>, logits and the corrected loss Σ CE / B²
/// (<see cref="LossScale.SumOverBatchSquared"/>) with its true gradients. A training pass runs on the fast path
/// (<see cref="FastNetwork"/>, every tensor kept), the test pass's hidden layer on the faithful one
/// (<see cref="ScratchNetwork.HiddenLayer"/>) and its logits on the fast one: the same bits either way (the fast path's
/// tests hold it to the faithful one). What crosses the seam is in the spec's layout: the notebook's position-major hidden
/// order is mapped by <see cref="NotebookLayout"/>, both ways, here and nowhere else.
/// <para>One pass at a time: a training pass's tensors are the model's own and are overwritten by its next
/// <see cref="Forward"/> (a finite-difference probe runs hundreds), so a pass read after that throws.</para>
/// </summary>
public sealed class Chapter10Model : ISpecModel
{
    readonly NotebookLayout layout;
    readonly ScratchNetwork network;
    readonly FastNetwork fast;
    readonly string conv, crop, tanh, dropout, flatten, dense;
    FastBatch? batch;
    int passes;
    (double[] Spec, double[] Notebook)? lastMask; // a probe's passes share one mask: mapped once

    /// <summary>The engine of a ch10 spec holding <paramref name="parameters"/> (by name, the spec's layout).</summary>
    public Chapter10Model(ArchitectureSpec spec, Func<string, double[]> parameters, int threads, NumPyExpKernel exp)
    {
        Spec = spec;
        layout = NotebookLayout.Of(spec);
        var values = ParameterSet<double>.FromArrays(spec, [.. spec.Parameters.Select(p => parameters(p.Name))]);
        network = NotebookParameters.ToNotebook(values, layout.Config with { Threads = threads, Exp = exp, Mode = TrainingMode.Corrected });
        fast = new FastNetwork(network); // over the same weight arrays: SetParameter reaches both paths
        string Named<TLayer>() => spec.Layers.FirstOrDefault(l => l.Spec is TLayer)?.Name ?? "";
        (conv, crop, tanh, dropout, flatten, dense) =
            (Named<Conv2dSpec>(), Named<CropSpec>(), Named<ActivationSpec>(), Named<DropoutSpec>(), Named<FlattenSpec>(), Named<DenseSpec>());
    }

    public ArchitectureSpec Spec { get; }

    public Dtype Dtype => Dtype.Float64;

    public string Name => "engine";

    public ISpecModelPass Forward(ReadOnlySpan<double> images, int batchSize, Func<string, double[]>? masks)
    {
        passes++;
        if (masks is null)
        {
            var state = new BatchState(network.Config, batchSize);
            network.HiddenLayer(state, images);
            var test = new Tensors(state.KernelOutput, state.Layer1Tanh, state.Layer1Tanh, fast.TestLogits(images.ToArray(), batchSize), null);
            return new Pass(this, passes, batchSize, images.ToArray(), test, training: false);
        }
        if (batch?.BatchSize != batchSize) batch = new FastBatch(network.Config, batchSize) { AllTensors = true };
        fast.Forward(batch, images, NotebookMask(masks(dropout)));
        var tensors = new Tensors(batch.KernelOutput, batch.Layer1Tanh, batch.Layer1, batch.Logits, batch.Layer2);
        return new Pass(this, passes, batchSize, images.ToArray(), tensors, training: true);
    }

    // The spec's mask (NCHW, 0 or 1/(1-p) = 2) is the notebook's 0/1 mask, position-major, times 2.
    double[] NotebookMask(double[] spec)
    {
        if (lastMask is { } last && ReferenceEquals(last.Spec, spec)) return last.Notebook;
        var mask = layout.HiddenFromTorch<double>(spec);
        for (int i = 0; i < mask.Length; i++) mask[i] /= 2;
        lastMask = (spec, mask);
        return mask;
    }

    public double[] Parameter(string name) => name == Spec.Parameters[0].Name
        ? layout.ConvWeightFromKernels(network.Kernels)
        : layout.LinearWeightFromDense(network.WeightsOneTwo);

    public void SetParameter(string name, int index, double value)
    {
        if (name == Spec.Parameters[0].Name)
        {
            // conv1.weight[k, 0, r, c] is kernels[r*3+c, k].
            int k = index / ScratchConfig.KernelArea, rc = index % ScratchConfig.KernelArea;
            network.Kernels[rc * layout.NumKernels + k] = value;
            return;
        }
        // dense1.weight[j, k*P + p] is weights_1_2[p*K + k, j].
        int j = index / layout.Hidden, t = index % layout.Hidden;
        int hidden = t % layout.Positions * layout.NumKernels + t / layout.Positions;
        network.WeightsOneTwo[hidden * ArchitectureSpec.Classes + j] = value;
    }

    /// <summary>Nothing to free: the engine holds managed arrays only.</summary>
    public void Dispose() { }

    // A pass's tensors in the notebook's layout (B × hidden, position-major; B × 10); Softmax is null for a test pass.
    sealed record Tensors(double[] KernelOutput, double[] Tanh, double[] Layer1, double[] Logits, double[]? Softmax);

    sealed class Pass(Chapter10Model model, int number, int batch, double[] images, Tensors tensors, bool training) : ISpecModelPass
    {
        public double[] Output(string layer)
        {
            var t = Current();
            var l = model.layout;
            if (layer == model.conv) return model.crop.Length == 0 ? l.HiddenToTorch<double>(t.KernelOutput) : FullConvolution();
            if (layer == model.crop) return l.HiddenToTorch<double>(t.KernelOutput);
            if (layer == model.tanh) return l.HiddenToTorch<double>(t.Tanh);
            // layer_1 after `layer_1 *= dropout_mask * 2` (in eval there is no mask: tanh's output itself), flattened as torch does.
            if (layer == model.dropout || layer == model.flatten) return l.HiddenToTorch<double>(t.Layer1);
            if (layer == model.dense) return (double[])t.Logits.Clone();
            throw new ArgumentException($"the ch10 spec has no layer '{layer}'", nameof(layer));
        }

        // The book's grid stops one position short of the 26x26 a 3x3 kernel allows; conv1 itself is the full convolution
        // (the crop follows it), each position the notebook's own kernel_output = flattened_input.dot(kernels).
        double[] FullConvolution()
        {
            const int grid = ScratchConfig.ImageSide - ScratchConfig.KernelSide + 1;
            int positions = grid * grid, k = model.layout.NumKernels;
            var flattened = Im2Col.Expand(images, batch, grid);
            var output = new double[batch * positions * k];
            NumPyDot.MatMul(flattened, model.network.Kernels, output, ScratchConfig.KernelArea, k, 0, batch * positions);
            return new NotebookLayout(k, grid).HiddenToTorch<double>(output);
        }

        /// <summary>Σ −log softmax(logits)[y] / B², summed in row order as the corrected rule sums it.</summary>
        public double Loss(ReadOnlySpan<byte> labels)
        {
            var t = Current();
            Check(labels);
            var softmax = t.Softmax ?? Softmax(t.Logits);
            double sum = 0;
            for (int r = 0; r < batch; r++)
                sum -= Math.Log(softmax[r * ArchitectureSpec.Classes + labels[r]]);
            return sum / ((double)batch * batch);
        }

        public IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels)
        {
            Current();
            Check(labels);
            if (!training) throw new InvalidOperationException("the chapter-10 engine's gradients are of a training pass (with its dropout mask)");
            var oneHot = new double[batch * ArchitectureSpec.Classes];
            for (int r = 0; r < batch; r++) oneHot[r * ArchitectureSpec.Classes + labels[r]] = 1;
            var g = model.fast.CorrectedBackward(model.batch!, oneHot);
            return new Dictionary<string, double[]>
            {
                [model.Spec.Parameters[0].Name] = model.layout.ConvWeightFromKernels(g.DKernels),
                [model.Spec.Parameters[1].Name] = model.layout.LinearWeightFromDense(g.DWeights),
            };
        }

        double[] Softmax(double[] logits)
        {
            var softmax = new double[batch * ArchitectureSpec.Classes];
            ScratchNetwork.Softmax(logits, softmax, batch, model.network.Config.Exp);
            return softmax;
        }

        // A training pass's tensors are the model's; a later Forward has overwritten them.
        Tensors Current() => !training || number == model.passes ? tensors
            : throw new InvalidOperationException("this chapter-10 pass was overwritten by a later Forward of its model: read a pass before the next");

        void Check(ReadOnlySpan<byte> labels)
        {
            if (labels.Length != batch) throw new ArgumentException($"{labels.Length} labels for a batch of {batch}");
        }

        public void Dispose() { }
    }
}
