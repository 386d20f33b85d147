using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Scratch;

/// <summary>
/// The Grokking Deep Learning chapter-10 CNN written from scratch in float64, faithful to NumPy bit for bit:
/// every expression is the notebook's, evaluated in NumPy's order (<see cref="NumPyDot"/> for the dots,
/// <see cref="NumPyTanh"/>, <see cref="NumPyExp"/>, <see cref="PairwiseSum"/> for the softmax row sum,
/// <see cref="NumPyArgMax"/>). Read it beside <c>reference/cnn_reference.py</c>.
/// <para>
/// Shapes: <see cref="Kernels"/> is 9 × K (<c>kernels[r*3+c, k]</c>); <see cref="WeightsOneTwo"/> is hidden × 10
/// with hidden index <c>position*K + k</c> (position-major, kernel-minor).
/// </para>
/// </summary>
public sealed class ScratchNetwork
{
    private const int L = ArchitectureSpec.Classes;
    private const int KS = ScratchConfig.KernelArea;

    public ScratchNetwork(ScratchConfig config, double[] kernels, double[] weightsOneTwo)
    {
        config.Validate();
        if (kernels.Length != KS * config.NumKernels || weightsOneTwo.Length != config.Hidden * L)
        {
            throw new ArgumentException($"weights do not fit K={config.NumKernels}, grid={config.Grid}");
        }
        Config = config;
        Kernels = kernels;
        WeightsOneTwo = weightsOneTwo;
    }

    public ScratchConfig Config { get; }

    /// <summary><c>kernels</c>: 9 × K.</summary>
    public double[] Kernels { get; }

    /// <summary><c>weights_1_2</c>: hidden × 10.</summary>
    public double[] WeightsOneTwo { get; }

    /// <summary>
    /// The notebook's initialisation, in its order: <c>kernels = 0.02*random((9, K)) - 0.01</c>, then
    /// <c>weights_1_2 = 0.2*random((hidden, 10)) - 0.1</c> (a multiply, then a subtract, per element).
    /// </summary>
    public static ScratchNetwork Initialize(ScratchConfig config, NumPyRandomState random)
    {
        config.Validate();
        var kernels = new double[KS * config.NumKernels];
        random.RandomSample(kernels);
        for (int i = 0; i < kernels.Length; i++)
        {
            kernels[i] = 0.02 * kernels[i] - 0.01;
        }
        var weights = new double[config.Hidden * L];
        random.RandomSample(weights);
        for (int i = 0; i < weights.Length; i++)
        {
            weights[i] = 0.2 * weights[i] - 0.1;
        }
        return new ScratchNetwork(config, kernels, weights);
    }

    /// <summary>A deep copy (weights and config).</summary>
    public ScratchNetwork Clone() => new(Config, (double[])Kernels.Clone(), (double[])WeightsOneTwo.Clone());

    /// <summary>
    /// Forward pass of a training batch: im2col, <c>kernel_output</c>, tanh, then the dropout mask drawn as
    /// the notebook draws it (<c>randint(2, size=(B, hidden))</c>, one 32-bit word per element), then
    /// <c>layer_1 *= mask*2</c> and the softmax.
    /// </summary>
    public void Forward(BatchState s, ReadOnlySpan<double> images, NumPyRandomState random)
    {
        random.RandInt(0, 2, s.DropoutMask);
        ForwardWithMask(s, images);
    }

    /// <summary>Forward pass with a given dropout mask (0/1 per hidden unit, B × hidden), e.g. one replayed from NumPy.</summary>
    public void Forward(BatchState s, ReadOnlySpan<double> images, ReadOnlySpan<double> dropoutMask)
    {
        dropoutMask[..s.DropoutMask.Length].CopyTo(s.DropoutMask);
        ForwardWithMask(s, images);
    }

    /// <summary>
    /// The hidden layer of a batch without dropout, as the test pass computes it: im2col, <c>kernel_output</c> and
    /// <c>layer_1 = tanh(kernel_output)</c>, kept in <see cref="BatchState.KernelOutput"/> and
    /// <see cref="BatchState.Layer1Tanh"/>. No mask is drawn or applied; the rest of <paramref name="s"/> is untouched.
    /// </summary>
    public void HiddenLayer(BatchState s, ReadOnlySpan<double> images)
    {
        int b = s.BatchSize, k = Config.NumKernels, hidden = Config.Hidden;
        images[..s.Layer0.Length].CopyTo(s.Layer0);
        Im2Col.Expand(s.Layer0, b, Config.Grid, s.FlattenedInput);
        RowRanges.For(b * Config.Positions, Config.Threads, (start, end) =>
            NumPyDot.MatMul(s.FlattenedInput, Kernels, s.KernelOutput, KS, k, start, end));
        RowRanges.For(b, Config.Threads, (start, end) =>
        {
            int from = start * hidden, count = (end - start) * hidden;
            NumPyTanh.Tanh(s.KernelOutput.AsSpan(from, count), s.Layer1Tanh.AsSpan(from, count));
        });
    }

    private void ForwardWithMask(BatchState s, ReadOnlySpan<double> images)
    {
        int b = s.BatchSize, hidden = Config.Hidden;
        HiddenLayer(s, images);
        RowRanges.For(b, Config.Threads, (start, end) =>
        {
            int from = start * hidden, count = (end - start) * hidden;
            for (int i = from; i < from + count; i++)
            {
                // layer_1 *= dropout_mask * 2: the int mask times 2, converted to float64, multiplied.
                s.Layer1[i] = s.Layer1Tanh[i] * (s.DropoutMask[i] * 2);
            }
            NumPyDot.MatMul(s.Layer1, WeightsOneTwo, s.Logits, hidden, L, start, end);
        });
        Softmax(s.Logits, s.Layer2, b, Config.Exp);
    }

    /// <summary>
    /// <c>softmax(x) = exp(x) / np.sum(exp(x), axis=1, keepdims=True)</c>: plain exp (no max shift), NumPy's
    /// pairwise row sum, then a division.
    /// </summary>
    public static void Softmax(ReadOnlySpan<double> logits, Span<double> output, int rows, NumPyExpKernel exp)
    {
        NumPyExp.Exp(logits[..(rows * L)], output, exp);
        for (int r = 0; r < rows; r++)
        {
            Span<double> row = output.Slice(r * L, L);
            double sum = PairwiseSum.Sum(row);
            for (int j = 0; j < L; j++)
            {
                row[j] /= sum;
            }
        }
    }

    /// <summary>
    /// The notebook's update after a forward pass, exactly (it is not the gradient of any loss):
    /// <code>
    /// layer_2_delta = (labels - layer_2) / (batch_size * layer_2.shape[0])
    /// layer_1_delta = layer_2_delta.dot(weights_1_2.T) * tanh2deriv(layer_1)   # post-dropout layer_1
    /// layer_1_delta *= dropout_mask
    /// weights_1_2 += alpha * layer_1.T.dot(layer_2_delta)
    /// k_update = flattened_input.T.dot(layer_1_delta.reshape(kernel_output.shape))
    /// kernels -= alpha * k_update
    /// </code>
    /// </summary>
    public void BookUpdate(BatchState s, ReadOnlySpan<double> oneHotLabels)
    {
        int b = s.BatchSize, k = Config.NumKernels, hidden = Config.Hidden;
        BookOutputDelta(s.Layer2, oneHotLabels, s.Layer2Delta, b);
        RowRanges.For(b, Config.Threads, (start, end) =>
        {
            NumPyDot.MatMulTransposedB(s.Layer2Delta, WeightsOneTwo, s.Layer1Delta, L, hidden, start, end);
            for (int i = start * hidden; i < end * hidden; i++)
            {
                double y = s.Layer1[i];
                double delta = s.Layer1Delta[i] * (1 - y * y); // tanh2deriv: 1 - (output ** 2)
                s.Layer1Delta[i] = delta * s.DropoutMask[i];
            }
        });
        RowRanges.For(hidden, Config.Threads, (start, end) =>
        {
            NumPyDot.MatMulTransposedA(s.Layer1, s.Layer2Delta, s.WeightsUpdate, b, hidden, L, start, end);
            for (int i = start * L; i < end * L; i++)
            {
                s.WeightsUpdate[i] = Config.Alpha * s.WeightsUpdate[i];
                WeightsOneTwo[i] += s.WeightsUpdate[i];
            }
        });
        // l1d_reshape is layer_1_delta read as (B·positions) × K: the same memory.
        RowRanges.For(KS, Config.Threads, (start, end) =>
            NumPyDot.MatMulTransposedA(s.FlattenedInput, s.Layer1Delta, s.KernelsUpdate, b * Config.Positions, KS, k, start, end));
        StepKernels(Kernels, s.KernelsUpdate, Config.Alpha);
    }

    /// <summary><c>layer_2_delta = (labels - layer_2) / (B·B)</c> (the book's scale), B × 10. Shared with the fast path.</summary>
    internal static void BookOutputDelta(ReadOnlySpan<double> layer2, ReadOnlySpan<double> oneHot, Span<double> delta, int b)
    {
        double divisor = (double)b * b;
        for (int i = 0; i < b * L; i++)
        {
            delta[i] = (oneHot[i] - layer2[i]) / divisor;
        }
    }

    /// <summary>
    /// <c>dL/dlogits = (softmax - labels) / (B·B)</c> into <paramref name="dLogits"/>; returns the loss
    /// Σ CE / (B·B), summed in NumPy's row order. Shared with the fast path.
    /// </summary>
    internal static double CorrectedOutputGradient(ReadOnlySpan<double> layer2, ReadOnlySpan<double> oneHot, Span<double> dLogits, int b)
    {
        double divisor = (double)b * b;
        double loss = 0;
        for (int r = 0; r < b; r++)
        {
            for (int j = 0; j < L; j++)
            {
                int i = r * L + j;
                dLogits[i] = (layer2[i] - oneHot[i]) / divisor;
                if (oneHot[i] != 0)
                {
                    loss -= oneHot[i] * Math.Log(layer2[i]);
                }
            }
        }
        return loss / divisor;
    }

    /// <summary><c>kernels -= alpha * k_update</c>. Shared with the fast path.</summary>
    internal static void StepKernels(Span<double> kernels, ReadOnlySpan<double> update, double alpha)
    {
        for (int i = 0; i < kernels.Length; i++)
        {
            kernels[i] -= alpha * update[i];
        }
    }

    /// <summary>
    /// True gradients after a forward pass, for L = Σ_batch CE(softmax(logits), y) / B² (the loss scale the
    /// book's dense step implies): tanh' on the pre-dropout activations, the ×2 dropout scale kept.
    /// The weights are not changed; see <see cref="ApplyCorrected"/>.
    /// </summary>
    public CorrectedGradients CorrectedBackward(BatchState s, ReadOnlySpan<double> oneHotLabels)
    {
        int b = s.BatchSize, k = Config.NumKernels, hidden = Config.Hidden;
        var g = new CorrectedGradients(Config, b);
        g.Loss = CorrectedOutputGradient(s.Layer2, oneHotLabels, g.DLogits, b);
        RowRanges.For(hidden, Config.Threads, (start, end) =>
            NumPyDot.MatMulTransposedA(s.Layer1, g.DLogits, g.DWeights, b, hidden, L, start, end));
        RowRanges.For(b, Config.Threads, (start, end) =>
        {
            NumPyDot.MatMulTransposedB(g.DLogits, WeightsOneTwo, g.DLayer1, L, hidden, start, end);
            for (int i = start * hidden; i < end * hidden; i++)
            {
                double t = s.Layer1Tanh[i];
                g.DKernelOutput[i] = g.DLayer1[i] * (s.DropoutMask[i] * 2) * (1 - t * t);
            }
        });
        RowRanges.For(KS, Config.Threads, (start, end) =>
            NumPyDot.MatMulTransposedA(s.FlattenedInput, g.DKernelOutput, g.DKernels, b * Config.Positions, KS, k, start, end));
        return g;
    }

    /// <summary>One SGD step: <c>W -= alpha * dW</c>, <c>kernels -= alpha * dK</c>.</summary>
    public void ApplyCorrected(CorrectedGradients g)
    {
        for (int i = 0; i < WeightsOneTwo.Length; i++)
        {
            WeightsOneTwo[i] -= Config.Alpha * g.DWeights[i];
        }
        for (int i = 0; i < Kernels.Length; i++)
        {
            Kernels[i] -= Config.Alpha * g.DKernels[i];
        }
    }

    /// <summary>
    /// Test-time logits (no dropout, no softmax) of <paramref name="count"/> images, count × 10. The notebook
    /// runs one image at a time; batching gives the same bits because every output is its own sequential sum.
    /// </summary>
    public double[] TestLogits(double[] images, int count)
    {
        var logits = new double[count * L];
        int chunk = Config.TestChunk, hidden = Config.Hidden;
        int chunks = (count + chunk - 1) / chunk;
        Parallel.For(0, chunks, new ParallelOptions { MaxDegreeOfParallelism = Config.Threads },
            () => (Flat: new double[chunk * Config.Positions * KS], Hidden: new double[chunk * hidden]),
            (c, _, buffers) =>
            {
                int first = c * chunk, n = Math.Min(chunk, count - first);
                Im2Col.Expand(images.AsSpan(first * ScratchConfig.Pixels, n * ScratchConfig.Pixels), n, Config.Grid, buffers.Flat);
                NumPyDot.MatMul(buffers.Flat, Kernels, buffers.Hidden, KS, Config.NumKernels, 0, n * Config.Positions);
                Span<double> layer1 = buffers.Hidden.AsSpan(0, n * hidden);
                NumPyTanh.Tanh(layer1, layer1);
                NumPyDot.MatMul(buffers.Hidden, WeightsOneTwo, logits.AsSpan(first * L, n * L), hidden, L, 0, n);
                return buffers;
            },
            _ => { });
        return logits;
    }

    /// <summary>How many of the first <paramref name="count"/> test images are classified right (argmax of the logits, first maximum wins).</summary>
    public int CountTestCorrect(double[] images, ReadOnlySpan<byte> labels, int count) =>
        Predictions.CountCorrect(TestLogits(images, count), labels[..count]);
}
