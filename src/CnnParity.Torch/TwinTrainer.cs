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
        int correct = Predictions.CountCorrect(AsDoubles(logits), labels);
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        return (loss.to_type(float64).item<double>(), correct);
    }

    /// <summary>The corrected-mode loss of one batch and its logits, with the autograd graph (call within a dispose scope).</summary>
    public (Tensor Loss, Tensor Logits) Loss(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels, ReadOnlySpan<double> mask)
    {
        int batch = labels.Length;
        var act = Network.Forward(Images(images, batch), DropoutScale(mask, batch));
        var y = tensor(labels.ToArray().Select(l => (long)l).ToArray(), new long[] { batch }, int64);
        var sum = nn.functional.cross_entropy(act.Logits, y, reduction: nn.Reduction.Sum);
        return (sum / (double)(batch * batch), act.Logits);
    }

    /// <summary>A tensor's values as float64, in row-major order.</summary>
    public static double[] AsDoubles(Tensor t)
    {
        using var _ = no_grad();
        using var d = t.detach().to_type(float64).contiguous();
        return d.data<double>().ToArray();
    }

    /// <summary>(B, 1, 28, 28) in the network's dtype.</summary>
    public Tensor Images(ReadOnlySpan<double> images, int batch) =>
        tensor(images.ToArray(), new long[] { batch, 1, 28, 28 }, float64).to_type(Network.DType);

    /// <summary>The from-scratch 0/1 mask, permuted to (B, K, G, G) and scaled by 2, as the book scales it.</summary>
    public Tensor DropoutScale(ReadOnlySpan<double> mask, int batch)
    {
        var layout = Network.Layout;
        var torchOrder = layout.HiddenToTorch(mask);
        for (int i = 0; i < torchOrder.Length; i++) torchOrder[i] *= 2;
        return tensor(torchOrder, new long[] { batch, layout.Kernels, layout.Grid, layout.Grid }, float64).to_type(Network.DType);
    }

    /// <summary>Test-pass logits (no dropout) as float64, 10 per image, computed in chunks.</summary>
    public double[] Logits(ReadOnlySpan<double> images, int count, int chunk = 1000)
    {
        var logits = new double[count * 10];
        using var _ = no_grad();
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            using var scope = NewDisposeScope();
            var output = Network.forward(Images(images.Slice(start * 784, n * 784), n)).to_type(float64).contiguous();
            output.data<double>().CopyTo(logits.AsSpan(start * 10, n * 10));
        }
        return logits;
    }

    public void Dispose()
    {
        sgd.Dispose();
        Network.Dispose();
    }
}
