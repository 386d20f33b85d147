using CnnParity.Core.Engines;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// The twin's loss, as a PyTorch user writes it: torch.nn.functional.cross_entropy of the logits, with reduction "mean"
/// (<see cref="LossScale.Mean"/>), or summed and divided by B² (<see cref="LossScale.SumOverBatchSquared"/>, chapter 10's
/// corrected loss), as a float64 scalar with the autograd graph.
/// </summary>
public static class TwinLoss
{
    /// <param name="logits">(B, 10) in the twin's dtype</param>
    public static Tensor Of(Tensor logits, ReadOnlySpan<byte> labels, LossScale scale)
    {
        var y = SpecLayout.Labels(labels);
        var loss = scale == LossScale.Mean
            ? nn.functional.cross_entropy(logits, y)
            : nn.functional.cross_entropy(logits, y, reduction: nn.Reduction.Sum) / ((double)labels.Length * labels.Length);
        return loss.to_type(float64);
    }
}
