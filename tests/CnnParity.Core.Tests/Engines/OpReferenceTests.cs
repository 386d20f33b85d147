using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// <see cref="OpReference"/> is the engine's own layer on its own, not a second implementation: inside a network it
/// gives the network's bits (which SpecGoldenTests holds bitwise to NumPy), at any thread count.
/// </summary>
public class OpReferenceTests
{
    private const int Batch = 5;

    [Fact]
    public void A_layer_alone_gives_the_bits_it_gives_inside_the_network()
    {
        var spec = ArchitectureSpec.Parse("lenet5");
        var random = new NumPyRandomState(7);
        var parameters = ParameterSet<double>.Initialize(spec, random);
        var net = new SpecNetwork<double>(spec, parameters, threads: 2);
        double[] images = [.. Enumerable.Range(0, Batch * 784).Select(_ => random.RandomSample())];
        byte[] labels = [3, 1, 4, 1, 5];
        var pass = net.Forward(images, Batch, masks: null);
        var gradients = net.Backward(pass, labels);

        var conv1 = new OpReference(spec.Layers[0].Spec, spec.Input, Batch);
        Assert.Equal(pass.Output(0), conv1.Forward(images, [parameters["conv1.weight"], parameters["conv1.bias"]]));

        // The last layer's gradients from the loss's gradient: what the network's backward pass feeds it.
        var last = spec.Layers[^1];
        double[] logits = pass.Logits, features = pass.Output(spec.Layers.Count - 2);
        double[] dLogits = OpReference.CrossEntropyBackward(logits, labels, Batch, 10);
        var dense = new OpReference(last.Spec, last.Input, Batch);
        double[][] weights = [parameters["dense3.weight"], parameters["dense3.bias"]];
        Assert.Equal(logits, dense.Forward(features, weights));
        var byReference = dense.ParameterGradients(features, weights, dLogits);
        Assert.Equal(gradients["dense3.weight"], byReference[0]);
        Assert.Equal(gradients["dense3.bias"], byReference[1]);
        Assert.Equal(net.Loss(pass, labels), OpReference.CrossEntropy(logits, labels, Batch, 10));
    }

    [Theory]
    [InlineData("conv(c=7,k=3,s=2,p=1)", 3, 9, 11)]
    [InlineData("conv(c=4,k=9)", 2, 9, 9)]
    [InlineData("avgpool(k=3,s=2)", 3, 9, 9)]
    [InlineData("maxpool(k=2)", 3, 8, 8)]
    [InlineData("sigmoid", 3, 4, 4)]
    [InlineData("relu6", 3, 4, 4)]
    [InlineData("gap", 3, 5, 7)]
    [InlineData("conv(c=6,k=3,s=2,p=1,g=3)", 3, 9, 11)]
    [InlineData("conv(c=4,k=3,p=1,g=2)", 4, 7, 7)]
    public void The_thread_count_changes_no_bit(string layer, int channels, int height, int width)
    {
        var op = SpecParser.Parse(layer).Single().Layer;
        var input = ActivationShape.Image(channels, height, width);
        var one = new OpReference(op, input, Batch, threads: 1);
        var three = new OpReference(op, input, Batch, threads: 3);
        var random = new NumPyRandomState(11);
        double[] Draw(int n) => [.. Enumerable.Range(0, n).Select(_ => 2 * random.RandomSample() - 1)];
        double[] x = Draw(Batch * input.Size), dy = Draw(Batch * one.Layer.Output.Size);
        double[][] parameters = [.. one.Parameters.Select(p => Draw(p.Size))];

        Assert.Equal(one.Forward(x, parameters), three.Forward(x, parameters));
        Assert.Equal(one.InputGradient(x, parameters, dy), three.InputGradient(x, parameters, dy));
        Assert.Equal(one.ParameterGradients(x, parameters, dy), three.ParameterGradients(x, parameters, dy));
        Assert.NotEqual(0, one.InputGradient(x, parameters, dy).Max(Math.Abs)); // not vacuous
    }

    /// <summary>
    /// The layer works on raw pointers into the arrays a pass allocates, which the pass must keep alive to its end: an
    /// array no longer referenced is collected even from the pinned heap, and the next array of its size takes its place
    /// (the doctor's first full sweep read freed inputs so: wrong gradients, then an access violation). Passes of many
    /// shapes in a row, as the doctor's worker runs them, each compared with the same pass run again.
    /// </summary>
    [Fact]
    public void Passes_in_a_row_each_keep_their_arrays_alive()
    {
        var random = new NumPyRandomState(5);
        double[] Draw(int n) => [.. Enumerable.Range(0, n).Select(_ => 2 * random.RandomSample() - 1)];
        var input = ActivationShape.Image(1, 28, 28);
        for (int k = 1; k <= 7; k++)
            for (int s = 1; s <= 3; s++)
                foreach (int p in new[] { 0, k / 2 }.Distinct())
                {
                    var reference = new OpReference(new Conv2dSpec(6, k, s, p), input, 128, threads: 2);
                    double[] x = Draw(128 * input.Size), dy = Draw(128 * reference.Layer.Output.Size);
                    double[][] parameters = [.. reference.Parameters.Select(q => Draw(q.Size))];
                    var first = reference.ParameterGradients(x, parameters, dy);
                    GC.Collect();
                    Assert.Equal(first, reference.ParameterGradients(x, parameters, dy));
                    Assert.Equal(reference.InputGradient(x, parameters, dy), reference.InputGradient(x, parameters, dy));
                }
    }

    [Fact]
    public void Log_softmax_is_the_loss_per_row()
    {
        double[] logits = [2.5, -1, 0.25, 7, 7, -3];
        byte[] labels = [2, 0];
        double[] y = OpReference.LogSoftmax(logits, 2, 3);

        Assert.Equal(OpReference.CrossEntropy(logits, labels, 2, 3), -(y[2] + y[3]) / 2, 15);
        Assert.Equal(1, Math.Exp(y[0]) + Math.Exp(y[1]) + Math.Exp(y[2]), 15);
        // Its gradient against a one-hot output gradient is the loss's gradient, times the batch (the loss is a mean).
        double[] dz = OpReference.LogSoftmaxBackward(y, [0, 0, -1, -1, 0, 0], 2, 3);
        double[] loss = OpReference.CrossEntropyBackward(logits, labels, 2, 3);
        for (int i = 0; i < 6; i++)
        {
            Assert.Equal(loss[i] * 2, dz[i], 15);
        }
    }

    [Fact]
    public void A_shape_the_layer_cannot_take_is_refused_with_the_reason()
    {
        var error = Assert.Throws<ArgumentException>(() => new OpReference(new Conv2dSpec(2, 5), ActivationShape.Image(1, 4, 4), 1));
        Assert.Contains("kernel 5 is larger than its 4x4 input", error.Message);
    }
}
