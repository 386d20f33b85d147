using CnnParity.Core;
using CnnParity.Core.Engines;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// Trains a <see cref="SpecTwin"/> as the from-scratch engine trains its network: softmax cross-entropy
/// (<see cref="TwinLoss"/>: reduction mean, or Σ/B² for chapter 10) and torch.optim.SGD with the engine's learning rate and
/// momentum (dampening 0, no Nesterov, no weight decay), with the dropout masks it is given. Every step runs in its
/// own dispose scope, so the number of live native tensors stays flat over a run.
/// </summary>
public sealed class SpecTwinTrainer : IDisposable
{
    readonly optim.Optimizer sgd;
    readonly optim.lr_scheduler.LRScheduler? schedule;
    readonly LossScale loss;

    /// <param name="learningRateDecay">γ of torch.optim.lr_scheduler.ExponentialLR, stepped by <see cref="EpochCompleted"/>; 1: none</param>
    /// <param name="loss">what the summed cross-entropy is divided by (<see cref="TwinLoss"/>)</param>
    public SpecTwinTrainer(SpecTwin twin, double learningRate, double momentum, double learningRateDecay = 1, LossScale loss = LossScale.Mean)
    {
        Twin = twin;
        this.loss = loss;
        sgd = optim.SGD(twin.parameters(), learningRate, momentum);
        if (learningRateDecay != 1) schedule = optim.lr_scheduler.ExponentialLR(sgd, learningRateDecay);
    }

    /// <summary>The end of an epoch: TorchSharp's own scheduler multiplies the learning rate by γ.</summary>
    public void EpochCompleted() => schedule?.step();

    public SpecTwin Twin { get; }

    /// <summary>One SGD step on one batch; returns the loss before the step and how many images of the batch it got right.</summary>
    /// <param name="images">B x 784 pixels (x/255), image after image</param>
    /// <param name="masks">each dropout layer's scale (0 or 1/(1-p)), B·size values by layer name; null if the spec has no dropout</param>
    public (double Loss, int Correct) Step(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, Func<string, double[]>? masks)
    {
        using var scope = NewDisposeScope();
        var (loss, pass) = Loss(images, labels, masks);
        int correct = Predictions.CountCorrect(SpecLayout.ToDoubles(pass.Logits), labels);
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        return (loss.item<double>(), correct);
    }

    /// <summary>The loss of one batch and its forward pass, with the autograd graph (call within a dispose scope).</summary>
    public (Tensor Loss, TwinPass Pass) Loss(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, Func<string, double[]>? masks)
    {
        int batch = labels.Length;
        var pass = Twin.Forward(Twin.Images(images, batch), Twin.DropoutScales(masks, batch));
        return (TwinLoss.Of(pass.Logits, labels, loss), pass);
    }

    /// <summary>Clears the parameters' gradients (before a backward whose gradients are read alone).</summary>
    public void ZeroGrad() => sgd.zero_grad();

    /// <summary>Eval-mode logits (no dropout) as float64, 10 per image, in chunks (<see cref="EvalPass"/>).</summary>
    public double[] Logits(ReadOnlySpan<double> images, int count, int chunk = 1000) => EvalPass.Logits(Twin, Twin.DType, images, count, chunk);

    public void Dispose() => sgd.Dispose();
}
