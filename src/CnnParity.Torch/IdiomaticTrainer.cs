using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch;

/// <summary>
/// Trains <see cref="IdiomaticNetwork"/> with mean cross-entropy and optim.SGD. The learning rate is 2 / B,
/// which makes each step equal to the corrected mode's step on Σ CE / B² (mean CE is Σ CE / B).
/// </summary>
public sealed class IdiomaticTrainer : IDisposable
{
    readonly optim.Optimizer sgd;
    readonly ScalarType dtype;
    public IdiomaticNetwork Network { get; }

    public IdiomaticTrainer(int numKernels, int grid, int batchSize, double learningRate, long seed, ScalarType dtype)
    {
        torch.manual_seed(seed);
        this.dtype = dtype;
        Network = new IdiomaticNetwork(numKernels, grid, dtype);
        sgd = optim.SGD(Network.parameters(), learningRate / batchSize);
    }

    /// <summary>One SGD step; returns the mean loss and how many images of the batch were right.</summary>
    public (double Loss, int Correct) Step(ReadOnlySpan<double> images, ReadOnlySpan<byte> labels)
    {
        using var scope = NewDisposeScope();
        Network.train();
        int batch = labels.Length;
        var x = tensor(images.ToArray(), new long[] { batch, 1, 28, 28 }, float64).to_type(dtype);
        var y = tensor(labels.ToArray().Select(l => (long)l).ToArray(), new long[] { batch }, int64);
        var logits = Network.forward(x);
        var loss = nn.functional.cross_entropy(logits, y);
        int correct = Predictions.CountCorrect(TwinTrainer.AsDoubles(logits), labels);
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        return (loss.to_type(float64).item<double>(), correct);
    }

    /// <summary>Test-pass logits (eval mode: no dropout) as float64, 10 per image.</summary>
    public double[] Logits(ReadOnlySpan<double> images, int count, int chunk = 1000)
    {
        Network.eval();
        var logits = new double[count * 10];
        using var _ = no_grad();
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            using var scope = NewDisposeScope();
            var x = tensor(images.Slice(start * 784, n * 784).ToArray(), new long[] { n, 1, 28, 28 }, float64).to_type(dtype);
            Network.forward(x).to_type(float64).contiguous().data<double>().CopyTo(logits.AsSpan(start * 10, n * 10));
        }
        return logits;
    }

    public void Dispose()
    {
        sgd.Dispose();
        Network.Dispose();
    }
}
