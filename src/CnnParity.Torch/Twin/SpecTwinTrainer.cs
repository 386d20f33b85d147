using CnnParity.Core;
using CnnParity.Core.Engines;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// Trains a <see cref="SpecTwin"/> as the from-scratch engine trains its network: softmax cross-entropy
/// (<see cref="TwinLoss"/>: reduction mean, or Σ/B² for chapter 10) and TorchSharp's own optimizer with the engine's settings:
/// torch.optim.SGD with its learning rate, momentum (dampening 0, no Nesterov) and weight decay, or torch.optim.Adam or
/// AdamW with β1, β2, eps and weight decay; with the dropout masks it is given. Every step runs in its own dispose scope,
/// so the number of live native tensors stays flat over a run.
/// </summary>
public sealed class SpecTwinTrainer : IDisposable
{
    readonly optim.Optimizer optimizer;
    readonly optim.lr_scheduler.LRScheduler? schedule;
    readonly LossScale loss;

    /// <param name="learningRateDecay">γ of torch.optim.lr_scheduler.ExponentialLR, stepped by <see cref="EpochCompleted"/>; 1: none</param>
    /// <param name="loss">what the summed cross-entropy is divided by (<see cref="TwinLoss"/>)</param>
    /// <param name="optimizer">SGD (the default, without weight decay), Adam or AdamW; Adam's take no <paramref name="momentum"/></param>
    public SpecTwinTrainer(SpecTwin twin, double learningRate, double momentum, double learningRateDecay = 1, LossScale loss = LossScale.Mean,
        OptimizerSettings? optimizer = null)
    {
        Twin = twin;
        this.loss = loss;
        this.optimizer = Optimizer(twin, learningRate, momentum, optimizer ?? OptimizerSettings.Sgd);
        if (learningRateDecay != 1) schedule = optim.lr_scheduler.ExponentialLR(this.optimizer, learningRateDecay);
    }

    // TorchSharp's own optimizers, every setting given: torch.optim.Adam's and AdamW's factories in TorchSharp 0.107 default
    // beta2 to 0.99, not PyTorch's 0.999.
    static optim.Optimizer Optimizer(SpecTwin twin, double learningRate, double momentum, OptimizerSettings o)
    {
        if (o.IsAdam && momentum != 0) throw new ArgumentException($"{o.Name} takes no momentum", nameof(momentum));
        return o.Kind switch
        {
            OptimizerKind.Adam => optim.Adam(twin.parameters(), learningRate, o.Beta1, o.Beta2, o.Eps, o.WeightDecay),
            OptimizerKind.AdamW => optim.AdamW(twin.parameters(), learningRate, o.Beta1, o.Beta2, o.Eps, o.WeightDecay),
            _ => optim.SGD(twin.parameters(), learningRate, momentum, weight_decay: o.WeightDecay),
        };
    }

    /// <summary>The end of an epoch: TorchSharp's own scheduler multiplies the learning rate by γ.</summary>
    public void EpochCompleted() => schedule?.step();

    public SpecTwin Twin { get; }

    /// <summary>One optimizer step on one batch; returns the loss before the step and how many images of the batch it got right.</summary>
    /// <param name="images">B x 784 pixels (x/255), image after image</param>
    /// <param name="masks">each dropout layer's scale (0 or 1/(1-p)), B·size values by layer name; null if the spec has no dropout</param>
    public (double Loss, int Correct) Step(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, Func<string, double[]>? masks)
    {
        using var scope = NewDisposeScope();
        var (loss, pass) = Loss(images, labels, masks);
        int correct = Predictions.CountCorrect(SpecLayout.ToDoubles(pass.Logits), labels);
        optimizer.zero_grad();
        loss.backward();
        optimizer.step();
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
    public void ZeroGrad() => optimizer.zero_grad();

    /// <summary>Eval-mode logits (no dropout) as float64, 10 per image, in chunks (<see cref="EvalPass"/>).</summary>
    public double[] Logits(ReadOnlySpan<double> images, int count, int chunk = 1000) => EvalPass.Logits(Twin, Twin.DType, images, count, chunk);

    public void Dispose() => optimizer.Dispose();
}
