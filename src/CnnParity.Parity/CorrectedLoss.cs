using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Parity;

/// <summary>
/// The corrected mode's loss, L = Σ_batch −log softmax(logits)[y] / B², of the from-scratch network on one
/// batch with a fixed dropout mask: the function the finite differences probe.
/// </summary>
public sealed class CorrectedLoss
{
    readonly ScratchNetwork network;
    readonly BatchState state;
    readonly double[] images, mask;
    readonly byte[] labels;
    bool hiddenCurrent;

    public CorrectedLoss(ScratchNetwork network, ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, ReadOnlySpan<double> mask)
    {
        this.network = network;
        this.images = images.ToArray();
        this.labels = labels.ToArray();
        this.mask = mask.ToArray();
        state = new BatchState(network.Config, labels.Length);
    }

    /// <summary>L at the network's current weights (the full forward pass).</summary>
    public double Evaluate()
    {
        network.Forward(state, images, mask);
        hiddenCurrent = true;
        return FromLayer2();
    }

    /// <summary>
    /// L when only weights_1_2 changed since the last <see cref="Evaluate"/>: the hidden layer is reused and
    /// only logits = layer_1 · W and the softmax are recomputed (same expressions as the forward pass).
    /// </summary>
    public double EvaluateDense()
    {
        if (!hiddenCurrent) return Evaluate();
        int b = labels.Length;
        NumPyDot.MatMul(state.Layer1, network.WeightsOneTwo, state.Logits, network.Config.Hidden, ArchitectureSpec.Classes, 0, b);
        ScratchNetwork.Softmax(state.Logits, state.Layer2, b, network.Config.Exp);
        return FromLayer2();
    }

    double FromLayer2()
    {
        int b = labels.Length;
        double sum = 0;
        for (int r = 0; r < b; r++)
            sum -= Math.Log(state.Layer2[r * ArchitectureSpec.Classes + labels[r]]);
        return sum / ((double)b * b);
    }
}
