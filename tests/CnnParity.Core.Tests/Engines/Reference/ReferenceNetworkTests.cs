using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines.Reference;

/// <summary>
/// The float64 reference is a third opinion: its plain loops must agree with the engine's float64 (its own sums in
/// other orders, its own kernels) to rounding, layer by layer, on the loss and on every gradient; and it must route its
/// backward pass through whatever branch decisions it is given.
/// </summary>
public class ReferenceNetworkTests
{
    [Theory]
    [InlineData(SpecNetworkTests.EveryKind)]
    [InlineData("lenet5")]
    [InlineData("lenet5-relu")]
    [InlineData("conv(c=3,k=3,s=2,p=3) tanh dropout(p=0.3) conv(c=4,k=3) relu conv(c=2,k=2,s=2) sigmoid flatten dense(10)")]
    [InlineData("conv(c=2,k=28) flatten dense(10)")]
    [InlineData("conv(c=4,k=3) relu6 maxpool(k=2) flatten dense(16) relu6 dense(10)")]
    [InlineData("conv(c=4,k=3,s=2) tanh conv(c=6,k=3) relu gap flatten dense(10)")]
    [InlineData("conv(c=4,k=3,s=2) tanh conv(c=8,k=3,g=2) relu conv(c=8,k=3,p=1,g=8) flatten dense(10)")]
    // A bias before batch norm has a gradient of 0 (the normalisation takes every shift away): rounding alone, no scale to judge by.
    [InlineData("conv(c=4,k=3,s=2,bias=false) batchnorm relu conv(c=6,k=3,bias=false) batchnorm(momentum=0.3) relu gap flatten dense(12,bias=false) batchnorm tanh dense(10)")]
    public void Agrees_with_the_engine_in_float64(string text)
    {
        var (spec, parameters, masks, images, labels) = Case(text, batch: 5);
        var engine = new SpecNetwork<double>(spec, parameters, threads: 2);
        var pass = engine.Forward(images, 5, masks);
        var reference = new ReferenceNetwork(spec, name => parameters[name]);
        var truth = reference.Forward(images, 5, name => masks[name]);
        foreach (var layer in spec.Layers)
            Close(engine: pass.Output(layer.Name), reference: truth.Output(layer.Name).Value, layer.Name);
        Close([engine.Loss(pass, labels)], [reference.Loss(truth, labels).Value], "loss");
        var gradients = engine.Backward(pass, labels);
        var truthGradients = reference.Backward(truth, labels);
        foreach (var p in spec.Parameters)
            Close(gradients[p.Name], truthGradients[p.Name].Value, p.Name);
        // Batch norm's buffers after the training pass, then an evaluation pass that normalises with them.
        foreach (var b in spec.Buffers)
            Close(engine.Buffer(b.Name), reference.Buffer(b.Name).Value, b.Name);
        var eval = engine.Forward(images, 5, masks: null);
        Close(eval.Logits, reference.Forward(images, 5, masks: null).Logits.Value, "logits (eval)");
    }

    [Fact]
    public void Chapter_10s_loss_divides_by_the_batch_squared()
    {
        var (spec, parameters, masks, images, labels) = Case("lenet5", batch: 4);
        var mean = new ReferenceNetwork(spec, name => parameters[name]);
        var squared = new ReferenceNetwork(spec, name => parameters[name], Core.Engines.LossScale.SumOverBatchSquared);
        var pass = mean.Forward(images, 4, name => masks[name]);
        Assert.Equal(mean.Loss(pass, labels).Value / 4, squared.Loss(squared.Forward(images, 4, name => masks[name]), labels).Value, 1e-15);
        var g = mean.Backward(pass, labels)["conv1.weight"].Value;
        var g2 = squared.Backward(pass, labels)["conv1.weight"].Value;
        Close(g.Select(v => v / 4).ToArray(), g2, "conv1.weight");
    }

    [Fact]
    public void Its_own_decisions_are_the_ones_read_off_its_outputs_and_route_the_same_gradient()
    {
        var (spec, parameters, masks, images, labels) = Case(SpecNetworkTests.EveryKind, batch: 4);
        var reference = new ReferenceNetwork(spec, name => parameters[name]);
        var pass = reference.Forward(images, 4, name => masks[name]);
        var own = reference.Decisions(pass);
        var read = BranchDecisions.FromOutputs(spec, images, 4, name => pass.Output(name).Value);
        Assert.Equal(own, read);
        Assert.Equal(["maxpool1", "relu1"], own.Layers);
        var routed = reference.Backward(pass, labels, read);
        var plain = reference.Backward(pass, labels);
        foreach (var p in spec.Parameters) Assert.Equal(plain[p.Name].Value, routed[p.Name].Value);
    }

    [Fact]
    public void Other_decisions_route_the_gradient_elsewhere()
    {
        var (spec, parameters, masks, images, labels) = Case("conv(c=2,k=3) relu flatten dense(10)", batch: 2);
        var reference = new ReferenceNetwork(spec, name => parameters[name]);
        var pass = reference.Forward(images, 2, masks: null);
        var own = reference.Decisions(pass).Of("relu1")!;
        int closed = Array.IndexOf(own, 1);
        var flipped = (int[])own.Clone();
        flipped[closed] = 0; // one ReLU element no longer passes its gradient
        var decisions = new BranchDecisions(new Dictionary<string, int[]> { ["relu1"] = flipped });
        Assert.Equal(1, decisions.Differences(reference.Decisions(pass), "relu1"));
        var plain = reference.Backward(pass, labels)["conv1.bias"].Value;
        var routed = reference.Backward(pass, labels, decisions)["conv1.bias"].Value;
        int channel = closed / (26 * 26) % 2;
        Assert.NotEqual(plain[channel], routed[channel]);
        Assert.Equal(plain[1 - channel], routed[1 - channel]);
    }

    [Fact]
    public void Carried_variance_grows_with_the_length_of_the_sums_and_from_layer_to_layer()
    {
        var (spec, parameters, masks, images, _) = Case("lenet5", batch: 2);
        var pass = new ReferenceNetwork(spec, name => parameters[name]).Forward(images, 2, name => masks[name]);
        Assert.All(pass.Input.Variance, v => Assert.Equal(0, v)); // the images are exact
        double Relative(string layer) => Median(pass.Output(layer), (v, var) => Math.Sqrt(var) / Math.Abs(v));
        // conv1 sums 25 products, conv2 150 on top of conv1's rounding, dense1 400 on top of both.
        Assert.True(Relative("conv1") < Relative("conv2"));
        Assert.True(Relative("conv2") < Relative("dense1"));
    }

    static double Median(Carried c, Func<double, double, double> f)
    {
        var xs = Enumerable.Range(0, c.Length).Where(i => Math.Abs(c.Value[i]) > 1e-3).Select(i => f(c.Value[i], c.Variance[i])).Order().ToArray();
        return xs[xs.Length / 2];
    }

    internal static (ArchitectureSpec Spec, ParameterSet<double> Parameters, DropoutMasks Masks, double[] Images, byte[] Labels) Case(string text, int batch)
    {
        var spec = ArchitectureSpec.Parse(text);
        var random = new NumPyRandomState(21);
        var parameters = ParameterSet<double>.Initialize(spec, random);
        var masks = DropoutMasks.Draw(spec, batch, random);
        var (images, labels) = SpecNetworkTests.Batch(batch, 22);
        return (spec, parameters, masks, images, labels);
    }

    // Different summation orders: a few float64 ULP of the largest terms, far inside 1e-12 of the tensor's scale.
    static void Close(double[] engine, double[] reference, string what)
    {
        double scale = reference.Max(Math.Abs);
        for (int i = 0; i < engine.Length; i++)
            Assert.True(Math.Abs(engine[i] - reference[i]) <= 1e-12 * scale + 1e-300,
                $"{what}[{i}]: engine {engine[i]:R}, reference {reference[i]:R}");
    }
}
