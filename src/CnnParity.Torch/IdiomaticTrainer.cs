using CnnParity.Core;
using CnnParity.Torch.Twin;
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
        var x = SpecLayout.Images(images, batch, dtype);
        var y = SpecLayout.Labels(labels);
        var logits = Network.forward(x);
        var loss = nn.functional.cross_entropy(logits, y);
        int correct = Predictions.CountCorrect(SpecLayout.ToDoubles(logits), labels);
        sgd.zero_grad();
        loss.backward();
        sgd.step();
        return (loss.to_type(float64).item<double>(), correct);
    }

    /// <summary>Test-pass logits (eval mode: no dropout) as float64, 10 per image (<see cref="EvalPass"/>).</summary>
    public double[] Logits(ReadOnlySpan<double> images, int count, int chunk = 1000) => EvalPass.Logits(Network, dtype, images, count, chunk);

    public void Dispose()
    {
        sgd.Dispose();
        Network.Dispose();
    }
}
