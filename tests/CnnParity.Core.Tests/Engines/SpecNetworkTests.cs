using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The whole network: gradients of the mean loss against central differences (every layer kind chained, softmax
/// cross-entropy on top, dropout masks on), the same bits for 1, 2 and 3 threads through forward, loss, backward and
/// SGD steps, in float64 and float32, and float32 close to float64.
/// </summary>
public class SpecNetworkTests
{
    internal const string EveryKind =
        "conv(c=3,k=3,s=2,p=1) sigmoid maxpool(k=2) conv(c=4,k=2,p=1,bias=false) relu avgpool(k=3,s=2) dropout(p=0.25) flatten dense(9) tanh dense(10)";

    internal static (double[] Images, byte[] Labels) Batch(int batch, uint seed)
    {
        var random = new NumPyRandomState(seed);
        var images = new double[batch * 784];
        random.RandomSample(images);
        var labels = new byte[batch];
        for (int i = 0; i < batch; i++)
        {
            labels[i] = (byte)random.RandInt(10);
        }
        return (images, labels);
    }

    [Theory]
    [InlineData(EveryKind)]
    [InlineData("lenet5")]
    [InlineData("lenet5-relu")]
    public void Gradients_of_the_mean_loss_match_central_differences(string text)
    {
        var spec = ArchitectureSpec.Parse(text);
        var random = new NumPyRandomState(11);
        ParameterSet<double> parameters = ParameterSet<double>.Initialize(spec, random);
        DropoutMasks masks = DropoutMasks.Draw(spec, 3, random);
        (double[] images, byte[] labels) = Batch(3, 12);
        var net = new SpecNetwork<double>(spec, parameters, threads: 2);
        ParameterSet<double> gradients = net.Backward(net.Forward(images, 3, masks), labels);
        double Loss() => net.Loss(net.Forward(images, 3, masks), labels);
        foreach (ParameterSpec p in spec.Parameters)
        {
            FiniteDifference.Check(p.Name, parameters[p.Name], gradients[p.Name], Loss, samples: 12);
        }
    }

    [Theory]
    [InlineData("lenet5")]
    [InlineData("lenet5-relu")]
    [InlineData(EveryKind)]
    public void One_two_and_three_threads_give_the_same_bits(string text)
    {
        var spec = ArchitectureSpec.Parse(text);
        string[] runs = [.. new[] { 1, 2, 3 }.Select(t => Fingerprint<double>(spec, t) + Fingerprint<float>(spec, t))];
        Assert.Equal(runs[0], runs[1]);
        Assert.Equal(runs[0], runs[2]);
    }

    // Every layer output, the loss and every gradient of three SGD steps with momentum, as the SHA-256 of their bits.
    private static string Fingerprint<T>(ArchitectureSpec spec, int threads)
        where T : unmanaged, System.Numerics.IFloatingPointIeee754<T>
    {
        var random = new NumPyRandomState(3);
        ParameterSet<double> initial = ParameterSet<double>.Initialize(spec, random);
        ParameterSet<T> parameters = typeof(T) == typeof(double) ? (ParameterSet<T>)(object)initial : (ParameterSet<T>)(object)initial.ToFloat32();
        var net = new SpecNetwork<T>(spec, parameters, threads);
        var sgd = new SgdOptimizer<T>(0.05, 0.9);
        var hash = new List<byte>();
        for (int step = 0; step < 3; step++)
        {
            (double[] images, byte[] labels) = Batch(9, 20 + (uint)step);
            T[] input = images.Select(T.CreateTruncating).ToArray();
            ForwardPass<T> pass = net.Forward(input, 9, DropoutMasks.Draw(spec, 9, random));
            foreach (SpecLayer layer in spec.Layers)
            {
                hash.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(pass.Output(layer.Name).AsSpan()).ToArray());
            }
            hash.AddRange(BitConverter.GetBytes(double.CreateTruncating(net.Loss(pass, labels))));
            ParameterSet<T> g = net.Backward(pass, labels);
            foreach (ParameterSpec p in spec.Parameters)
            {
                hash.AddRange(System.Runtime.InteropServices.MemoryMarshal.AsBytes(g[p.Name].AsSpan()).ToArray());
            }
            sgd.Step(parameters, g);
        }
        return Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(hash.ToArray()));
    }

    [Fact]
    public void Float32_follows_float64_closely()
    {
        var spec = ArchitectureSpec.Parse("lenet5");
        ParameterSet<double> p = ParameterSet<double>.Initialize(spec, new NumPyRandomState(1));
        (double[] images, byte[] labels) = Batch(4, 2);
        var f64 = new SpecNetwork<double>(spec, p, 1);
        var f32 = new SpecNetwork<float>(spec, p.ToFloat32(), 1);
        double[] logits64 = f64.Forward(images, 4, null).Logits;
        float[] logits32 = f32.Forward(images.Select(x => (float)x).ToArray(), 4, null).Logits;
        for (int i = 0; i < logits64.Length; i++)
        {
            Assert.InRange(Math.Abs(logits32[i] - logits64[i]), 0, 1e-5);
        }
        ParameterSet<double> g64 = f64.Backward(f64.Forward(images, 4, null), labels);
        ParameterSet<float> g32 = f32.Backward(f32.Forward(images.Select(x => (float)x).ToArray(), 4, null), labels);
        double[] a = g64["conv1.weight"];
        float[] b = g32["conv1.weight"];
        for (int i = 0; i < a.Length; i++)
        {
            Assert.InRange(Math.Abs(b[i] - a[i]), 0, 1e-5 + 1e-3 * Math.Abs(a[i]));
        }
    }

    [Fact]
    public void A_reused_pass_gives_the_same_bits_as_a_new_one()
    {
        var spec = ArchitectureSpec.Parse("lenet5");
        var net = new SpecNetwork<double>(spec, ParameterSet<double>.Initialize(spec, new NumPyRandomState(1)), 2);
        (double[] first, _) = Batch(5, 1);
        (double[] second, _) = Batch(5, 2);
        double[] fresh = net.Forward(second, 5, null).Logits;
        ForwardPass<double> reused = net.Forward(first, 5, null);
        Assert.Same(reused, net.Forward(second, 5, null, reused));
        Golden.AssertBitwise("logits", fresh, reused.Logits);
        Assert.Same(reused.Output("avgpool2"), reused.Output("flatten"));
    }

    [Fact]
    public void Bad_inputs_are_refused()
    {
        var spec = ArchitectureSpec.Parse("lenet5");
        var net = new SpecNetwork<double>(spec, ParameterSet<double>.Initialize(spec, new NumPyRandomState(1)), 1);
        Assert.Throws<ArgumentException>(() => net.Forward(new double[783], 1, null));
        ForwardPass<double> pass = net.Forward(new double[784], 1, null);
        Assert.Throws<ArgumentException>(() => net.Backward(pass, new byte[] { 10 }));
        Assert.Throws<ArgumentException>(() => net.Loss(pass, Array.Empty<byte>()));
        var other = ArchitectureSpec.Parse("lenet5-relu");
        Assert.Throws<ArgumentException>(() => new SpecNetwork<double>(other, ParameterSet<double>.Initialize(spec, new NumPyRandomState(1)), 1));
    }
}
