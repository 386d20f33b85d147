using CnnParity.Core;
using CnnParity.Torch.Twin;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch;

/// <summary>
/// Trains a <see cref="TwinNetwork"/> in `corrected` mode: SGD with lr = 2 on
/// L = Σ_batch cross_entropy(logits, y) / B², with the dropout masks it is given (the from-scratch
/// model's masks, so both models see the same ones). Every step runs in its own dispose scope, so the
/// number of live native tensors stays flat over a run. The trainer owns the network it trains: disposing the trainer
/// frees the network's native parameters as well as the optimiser.
/// </summary>
public sealed class TwinTrainer : IDisposable
{
    readonly optim.Optimizer sgd;
    public TwinNetwork Network { get; }

    public TwinTrainer(TwinNetwork network, double learningRate)
    {
        Network = network;
        sgd = optim.SGD(network.parameters(), learningRate);
    }

    /// <summary>One SGD step on one batch; returns the loss before the step and how many images the batch got right.</summary>
    /// <param name="images">B x 784 pixels (x/255), row-major</param>
    /// <param name="labels">B labels</param>
    /// <param name="mask">B x hidden 0/1 dropout mask in the from-scratch layout</param>
    public (double Loss, int Correct) Step(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, ReadOnlySpan<double> mask)
    {
        using var scope = NewDisposeScope();
        var (loss, logits) = Loss(images, labels, mask);
        int correct = Predictions.CountCorrect(SpecLayout.ToDoubles(logits), labels);
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        return (loss.to_type(float64).item<double>(), correct);
    }

    /// <summary>The corrected-mode loss of one batch and its logits, with the autograd graph (call within a dispose scope).</summary>
    public (Tensor Loss, Tensor Logits) Loss(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, ReadOnlySpan<double> mask)
    {
        int batch = labels.Length;
        var act = Network.Forward(Network.Images(images, batch), Network.DropoutScale(mask, batch));
        var y = SpecLayout.Labels(labels);
        var sum = nn.functional.cross_entropy(act.Logits, y, reduction: nn.Reduction.Sum);
        return (sum / (double)(batch * batch), act.Logits);
    }

    /// <summary>Test-pass logits (no dropout) as float64, 10 per image, computed in chunks (<see cref="EvalPass"/>).</summary>
    public double[] Logits(ReadOnlySpan<double> images, int count, int chunk = 1000) =>
        EvalPass.Logits(Network, Network.DType, images, count, chunk);

    public void Dispose()
    {
        sgd.Dispose();
        Network.Dispose();
    }
}
