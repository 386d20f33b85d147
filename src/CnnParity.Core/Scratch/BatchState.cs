using CnnParity.Core.Architecture;

namespace CnnParity.Core.Scratch;

/// <summary>
/// Every tensor of one training batch, named as in the notebook (and in <c>reference/cnn_reference.py</c>'s
/// dumps), all row-major float64. Allocated once per batch size and reused; a forward pass fills
/// <see cref="Layer0"/>..<see cref="Layer2"/>, the book update fills the deltas and updates.
/// </summary>
public sealed class BatchState
{
    public BatchState(ScratchConfig config, int batchSize)
    {
        Config = config;
        BatchSize = batchSize;
        int rows = batchSize * config.Positions;
        Layer0 = new double[batchSize * ScratchConfig.Pixels];
        FlattenedInput = new double[rows * ScratchConfig.KernelArea];
        KernelOutput = new double[rows * config.NumKernels];
        Layer1Tanh = new double[batchSize * config.Hidden];
        DropoutMask = new double[batchSize * config.Hidden];
        Layer1 = new double[batchSize * config.Hidden];
        Logits = new double[batchSize * ArchitectureSpec.Classes];
        Layer2 = new double[batchSize * ArchitectureSpec.Classes];
        Layer2Delta = new double[batchSize * ArchitectureSpec.Classes];
        Layer1Delta = new double[batchSize * config.Hidden];
        WeightsUpdate = new double[config.Hidden * ArchitectureSpec.Classes];
        KernelsUpdate = new double[ScratchConfig.KernelArea * config.NumKernels];
    }

    public ScratchConfig Config { get; }

    public int BatchSize { get; }

    /// <summary><c>layer_0</c>: B × 784 pixels (x/255).</summary>
    public double[] Layer0 { get; }

    /// <summary><c>flattened_input</c>: (B·positions) × 9.</summary>
    public double[] FlattenedInput { get; }

    /// <summary><c>kernel_output</c>: (B·positions) × K = <c>flattened_input.dot(kernels)</c>.</summary>
    public double[] KernelOutput { get; }

    /// <summary><c>tanh(kernel_output.reshape(B, -1))</c>, before dropout: B × hidden.</summary>
    public double[] Layer1Tanh { get; }

    /// <summary><c>dropout_mask = randint(2, size=layer_1.shape)</c> as float64 (0 or 1): B × hidden.</summary>
    public double[] DropoutMask { get; }

    /// <summary><c>layer_1</c> after <c>layer_1 *= dropout_mask * 2</c>: B × hidden.</summary>
    public double[] Layer1 { get; }

    /// <summary><c>np.dot(layer_1, weights_1_2)</c>, the softmax input: B × 10.</summary>
    public double[] Logits { get; }

    /// <summary><c>layer_2 = softmax(logits)</c>: B × 10.</summary>
    public double[] Layer2 { get; }

    /// <summary>Book rule: <c>(labels - layer_2) / (B·B)</c>: B × 10.</summary>
    public double[] Layer2Delta { get; }

    /// <summary>Book rule: <c>layer_2_delta.dot(W.T) * (1 - layer_1**2)</c>, then <c>*= dropout_mask</c>: B × hidden.</summary>
    public double[] Layer1Delta { get; }

    /// <summary>Book rule: <c>alpha * layer_1.T.dot(layer_2_delta)</c>, added to the weights: hidden × 10.</summary>
    public double[] WeightsUpdate { get; }

    /// <summary>Book rule: <c>k_update = flattened_input.T.dot(l1d_reshape)</c> (before × alpha), subtracted: 9 × K.</summary>
    public double[] KernelsUpdate { get; }
}
