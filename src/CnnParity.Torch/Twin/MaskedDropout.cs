using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// torch.nn.Dropout (https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html) with its mask handed in:
/// in training the input is multiplied by a scale of 0 or 1/(1-p) per element — the from-scratch engine's
/// <c>DropoutMasks</c>, drawn from NumPy's RandomState — so that both models drop the same units (lockstep);
/// without a scale (eval) it is the identity. It never draws a mask of its own.
/// </summary>
public sealed class MaskedDropout : nn.Module<Tensor, Tensor?, Tensor>
{
    /// <summary>The drop probability, for the record (the scale already carries it).</summary>
    public double P { get; }

    public MaskedDropout(string name, double p) : base(name) => P = p;

    /// <param name="input">the layer's input, any shape</param>
    /// <param name="scale">0 or 1/(1-p) per element, the input's shape and dtype; null in eval</param>
    public override Tensor forward(Tensor input, Tensor? scale) => scale is null ? input : input * scale;
}
