using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Layers;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The 2x2 pools of stride 2, which take a row of windows per vector, against their documented rules written here
/// one window at a time, in float64 and float32, on planes of even and odd sides (the last row and column outside every
/// window), rows shorter and longer than a vector, and values that test the rules rather than the arithmetic: ties
/// (the first maximum wins), NaN (it wins, as in PyTorch), -0 (a sum starts at +0, so four -0 average to +0). Equal
/// means equal bits.
/// </summary>
public unsafe class PoolLanesTests
{
    public static TheoryData<string, int> Shapes()
    {
        var shapes = new TheoryData<string, int>();
        foreach (string kind in new[] { "maxpool", "avgpool" })
            foreach (int k in new[] { 1, 2, 3, 4 }) // convolution kernels giving 28, 27, 26 and 25 sides
                shapes.Add(kind, k);
        return shapes;
    }

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float64_windows_follow_the_rules(string kind, int k) => Check<double>(kind, k);

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Float32_windows_follow_the_rules(string kind, int k) => Check<float>(kind, k);

    private static void Check<T>(string kind, int k)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var spec = ArchitectureSpec.Parse($"conv(c=3,k={k}) {kind}(k=2) flatten dense(10)");
        SpecLayer layer = spec.Layers[1];
        const int batch = 2;
        int planes = batch * layer.Input.Channels, h = layer.Input.Height, w = layer.Input.Width;
        int ho = layer.Output.Height, wo = layer.Output.Width;
        var random = new NumPyRandomState((uint)(17 + k));
        T[] x = Values<T>(random, planes * h * w), dy = Values<T>(random, planes * ho * wo);
        var forward = new T[planes * ho * wo];
        var dInput = new T[x.Length];
        for (int plane = 0; plane < planes; plane++)
            for (int y = 0; y < ho; y++)
                for (int xo = 0; xo < wo; xo++)
                {
                    int o = (plane * ho + y) * wo + xo, best = plane * h * w + 2 * y * w + 2 * xo;
                    T sum = T.Zero;
                    for (int ky = 0; ky < 2; ky++)
                        for (int kx = 0; kx < 2; kx++)
                        {
                            int i = plane * h * w + (2 * y + ky) * w + 2 * xo + kx;
                            sum += x[i];
                            if (x[i] > x[best] || T.IsNaN(x[i])) best = i;
                        }
                    T four = T.CreateTruncating(4);
                    if (kind == "avgpool")
                    {
                        forward[o] = sum / four;
                        for (int ky = 0; ky < 2; ky++)
                            for (int kx = 0; kx < 2; kx++)
                                dInput[plane * h * w + (2 * y + ky) * w + 2 * xo + kx] += dy[o] / four;
                    }
                    else
                    {
                        forward[o] = x[best];
                        dInput[best] += dy[o];
                    }
                }
        EngineLayer<T> engine = EngineLayer<T>.Create(layer, NumPyExpKernel.Svml);
        T[] px = PinnedArray.Copy<T>(x), py = PinnedArray.Allocate<T>(forward.Length), pdy = PinnedArray.Copy<T>(dy);
        T[] pdx = PinnedArray.Allocate<T>(x.Length);
        pdx.AsSpan().Fill(T.CreateTruncating(7)); // what a gradient buffer holds before: every value must be written
        engine.Forward(PinnedArray.Address(px), PinnedArray.Address(py), 0, batch, null);
        engine.BackwardInput(PinnedArray.Address(px), PinnedArray.Address(py), PinnedArray.Address(pdy), PinnedArray.Address(pdx), 0, batch, null);
        AssertBits("forward", forward, py);
        AssertBits("input gradient", dInput, pdx);
    }

    // Random values in [-1, 1), then a tenth of them copied from a neighbour (ties), some NaN and some -0 (in runs of
    // four, so that whole windows hold them).
    private static T[] Values<T>(NumPyRandomState random, int count)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        T[] values = OrderedMatMulTests.Draw<T>(random, count);
        for (int i = 1; i < count; i++)
        {
            double u = random.RandomSample();
            if (u < 0.1) values[i] = values[i - 1];
            else if (u < 0.12) values[i] = T.NaN;
            else if (u < 0.15) for (int j = i; j < Math.Min(i + 4, count); j++) values[j] = T.NegativeZero;
        }
        return values;
    }

    private static void AssertBits<T>(string what, T[] expected, T[] actual)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        Assert.Equal(expected.Length, actual.Length);
        for (int i = 0; i < expected.Length; i++)
        {
            Assert.True(BitsOf(expected[i]) == BitsOf(actual[i]), $"{what} [{i}]: expected {expected[i]}, got {actual[i]}");
        }
    }

    private static long BitsOf<T>(T value)
        where T : unmanaged, IFloatingPointIeee754<T> =>
        typeof(T) == typeof(double) ? BitConverter.DoubleToInt64Bits((double)(object)value) : BitConverter.SingleToInt32Bits((float)(object)value);
}
