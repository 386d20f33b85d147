using CnnParity.Core.Architecture;

namespace CnnParity.Core.Scratch;

/// <summary>
/// True gradients of L = Σ_batch CE(softmax(logits), y) / B² for one batch (see
/// <see cref="ScratchNetwork.CorrectedBackward"/>), row-major float64.
/// </summary>
public sealed class CorrectedGradients
{
    internal CorrectedGradients(ScratchConfig config, int batchSize)
    {
        DLogits = new double[batchSize * ArchitectureSpec.Classes];
        DLayer1 = new double[batchSize * config.Hidden];
        DKernelOutput = new double[batchSize * config.Hidden];
        DWeights = new double[config.Hidden * ArchitectureSpec.Classes];
        DKernels = new double[ScratchConfig.KernelArea * config.NumKernels];
    }

    /// <summary>The loss L itself.</summary>
    public double Loss { get; internal set; }

    /// <summary>dL/dlogits = (softmax - onehot) / B²: B × 10.</summary>
    public double[] DLogits { get; }

    /// <summary>dL/dlayer_1 (post-dropout activations) = dlogits · W.T: B × hidden.</summary>
    public double[] DLayer1 { get; }

    /// <summary>dL/dkernel_output = dlayer_1 · (mask·2) · (1 - tanh²), tanh before dropout: B × hidden (= (B·positions) × K).</summary>
    public double[] DKernelOutput { get; }

    /// <summary>dL/dweights_1_2 = layer_1.T · dlogits: hidden × 10.</summary>
    public double[] DWeights { get; }

    /// <summary>dL/dkernels = flattened_input.T · dkernel_output: 9 × K.</summary>
    public double[] DKernels { get; }
}
