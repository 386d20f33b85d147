using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests.Twin;

/// <summary>
/// Batch norm in the twin (torch.nn.BatchNorm2d / BatchNorm1d) against the engine in float64: its buffers under PyTorch's
/// state_dict names, two training passes (batch statistics; running statistics updated with the unbiased variance and the
/// momentum; num_batches_tracked counted), then an evaluation pass on the running statistics.
/// </summary>
public class BatchNormTwinTests
{
    const string Spec = "conv(c=4,k=3,s=2) batchnorm relu conv(c=6,k=3) batchnorm(momentum=0.3,eps=0.001) gap flatten dense(12) batchnorm tanh dense(10)";

    [Fact]
    public void Training_and_evaluation_passes_and_the_buffers_are_the_engines()
    {
        var spec = ArchitectureSpec.Parse(Spec);
        var random = new NumPyRandomState(4);
        var parameters = ParameterSet<double>.Initialize(spec, random);
        // γ and β away from 1 and 0, so that a swapped or missing affine step shows.
        foreach (var p in spec.Parameters.Where(p => p.Constant is not null))
        {
            for (int i = 0; i < p.Size; i++)
            {
                parameters[p.Name][i] = 0.5 + random.RandomSample();
            }
        }
        var engine = new SpecNetwork<double>(spec, parameters, threads: 2);
        using var twin = new SpecTwin(spec, float64);
        foreach (var p in spec.Parameters) twin.Load(p, parameters[p.Name]);
        Assert.Equal(spec.Buffers.Select(b => b.Name), twin.named_buffers().Select(b => b.name));

        const int batch = 6;
        for (int step = 0; step < 3; step++)
        {
            bool training = step < 2;
            double[] images = [.. Enumerable.Range(0, batch * 784).Select(_ => random.RandomSample())];
            var pass = engine.Forward(images, batch, training ? new DropoutMasks(batch, new Dictionary<string, double[]>()) : null);
            using var scope = NewDisposeScope();
            var twinPass = twin.Forward(twin.Images(images, batch), training ? new Dictionary<string, Tensor>() : null);
            foreach (var layer in spec.Layers)
                Close(pass.Output(layer.Name), SpecLayout.ToDoubles(twinPass.Output(layer.Name)), $"step {step} {layer.Name}");
            foreach (var b in spec.Buffers)
                Close(engine.Buffer(b.Name), twin.Buffer(b.Name), $"step {step} {b.Name}");
        }
        Assert.Equal([2.0], engine.Buffer("batchnorm3.num_batches_tracked"));
        Assert.NotEqual(1.0, engine.Buffer("batchnorm1.running_var")[0]);
    }

    // Both in float64, the same formula in other orders: a few ULP of each value's size.
    static void Close(double[] expected, double[] actual, string what)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(Math.Abs(expected[i] - actual[i]) <= 1e-12 * Math.Max(1, Math.Abs(expected[i])),
                $"{what}[{i}]: engine {expected[i]:R}, twin {actual[i]:R}");
        }
    }
}
