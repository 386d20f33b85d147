using CnnParity.Core.Architecture;
using CnnParity.Core.Tests.NumPy;

namespace CnnParity.Core.Tests.Engines;

/// <summary>
/// The sum orders the layer files document, written here as naive loops (terms in padding or at positions that do
/// not exist are left out, every sum starts at +0), and the engine's vectorised layers held to them bit for bit, over
/// a grid of kernel sizes, strides and paddings. The output shapes are checked against PyTorch's formula
/// floor((H + 2p - k) / s) + 1 as well. These are the orders reference/spec_reference.py follows.
/// </summary>
public class SumOrderTests
{
    public static TheoryData<int, int, int> ConvGrid()
    {
        var grid = new TheoryData<int, int, int>();
        foreach (int k in new[] { 1, 2, 3, 5 })
            foreach (int s in new[] { 1, 2, 3 })
                foreach (int p in new[] { 0, 1, 3 })
                    grid.Add(k, s, p);
        return grid;
    }

    [Theory]
    [MemberData(nameof(ConvGrid))]
    public void Conv2d_follows_its_documented_orders(int k, int s, int p)
    {
        var h = new LayerHarness($"conv(c=2,k=3) conv(c=3,k={k},s={s},p={p}) flatten dense(10)", 1, batch: 2);
        SpecLayer layer = h.Layer;
        int c = layer.Input.Channels, hIn = layer.Input.Height, wIn = layer.Input.Width, o = 3;
        int ho = (hIn + 2 * p - k) / s + 1, wo = (wIn + 2 * p - k) / s + 1;
        Assert.Equal((o, ho, wo), (layer.Output.Channels, layer.Output.Height, layer.Output.Width));

        double[] w = h.Parameters[$"{layer.Name}.weight"], bias = h.Parameters[$"{layer.Name}.bias"];
        double[] x = h.Input, dy = h.OutputGradient;
        double In(int b, int ci, int iy, int ix) => x[((b * c + ci) * hIn + iy) * wIn + ix];
        double W(int oi, int ci, int ky, int kx) => w[((oi * c + ci) * k + ky) * k + kx];
        double DOut(int b, int oi, int y, int xo) => dy[((b * o + oi) * ho + y) * wo + xo];
        bool Inside(int iy, int ix) => iy >= 0 && iy < hIn && ix >= 0 && ix < wIn;

        var forward = new double[h.Batch * o * ho * wo];
        for (int b = 0; b < h.Batch; b++)
            for (int oi = 0; oi < o; oi++)
                for (int y = 0; y < ho; y++)
                    for (int xo = 0; xo < wo; xo++)
                    {
                        double sum = 0.0;
                        for (int ci = 0; ci < c; ci++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                    if (Inside(y * s + ky - p, xo * s + kx - p))
                                        sum += W(oi, ci, ky, kx) * In(b, ci, y * s + ky - p, xo * s + kx - p);
                        forward[((b * o + oi) * ho + y) * wo + xo] = sum + bias[oi];
                    }
        Golden.AssertBitwise("forward", forward, h.Forward());

        var dInput = new double[x.Length];
        for (int b = 0; b < h.Batch; b++)
            for (int ci = 0; ci < c; ci++)
                for (int i = 0; i < hIn; i++)
                    for (int j = 0; j < wIn; j++)
                    {
                        double sum = 0.0;
                        for (int oi = 0; oi < o; oi++)
                            for (int ky = 0; ky < k; ky++)
                                for (int kx = 0; kx < k; kx++)
                                {
                                    int ty = i + p - ky, tx = j + p - kx;
                                    if (ty >= 0 && tx >= 0 && ty % s == 0 && tx % s == 0 && ty / s < ho && tx / s < wo)
                                        sum += W(oi, ci, ky, kx) * DOut(b, oi, ty / s, tx / s);
                                }
                        dInput[((b * c + ci) * hIn + i) * wIn + j] = sum;
                    }

        var dWeight = new double[w.Length];
        var dBias = new double[o];
        for (int oi = 0; oi < o; oi++)
        {
            for (int ci = 0; ci < c; ci++)
                for (int ky = 0; ky < k; ky++)
                    for (int kx = 0; kx < k; kx++)
                    {
                        double sum = 0.0;
                        for (int b = 0; b < h.Batch; b++)
                            for (int y = 0; y < ho; y++)
                                for (int xo = 0; xo < wo; xo++)
                                    if (Inside(y * s + ky - p, xo * s + kx - p))
                                        sum += DOut(b, oi, y, xo) * In(b, ci, y * s + ky - p, xo * s + kx - p);
                        dWeight[((oi * c + ci) * k + ky) * k + kx] = sum;
                    }
            double biasSum = 0.0;
            for (int b = 0; b < h.Batch; b++)
                for (int y = 0; y < ho; y++)
                    for (int xo = 0; xo < wo; xo++)
                        biasSum += DOut(b, oi, y, xo);
            dBias[oi] = biasSum;
        }
        foreach (int threads in new[] { 1, 2, 3 })
        {
            var (dx, grads) = h.Backward(threads);
            Golden.AssertBitwise("input gradient", dInput, dx);
            Golden.AssertBitwise($"weight gradient ({threads} threads' tasks)", dWeight, grads[$"{layer.Name}.weight"]);
            Golden.AssertBitwise($"bias gradient ({threads} threads' tasks)", dBias, grads[$"{layer.Name}.bias"]);
        }
    }

    [Theory]
    [InlineData(7)]
    [InlineData(120)]
    public void Dense_follows_its_documented_orders(int outputs)
    {
        var h = new LayerHarness($"conv(c=2,k=3,s=2) flatten dense({outputs}) dense(10)", 2, batch: 5);
        int n = h.Layer.Input.Size, batch = h.Batch;
        double[] w = h.Parameters["dense1.weight"], bias = h.Parameters["dense1.bias"], x = h.Input, dy = h.OutputGradient;
        var forward = new double[batch * outputs];
        var dInput = new double[batch * n];
        var dWeight = new double[outputs * n];
        var dBias = new double[outputs];
        for (int b = 0; b < batch; b++)
        {
            for (int j = 0; j < outputs; j++)
            {
                double sum = 0.0;
                for (int i = 0; i < n; i++) sum += x[b * n + i] * w[j * n + i];
                forward[b * outputs + j] = sum + bias[j];
            }
            for (int i = 0; i < n; i++)
            {
                double sum = 0.0;
                for (int j = 0; j < outputs; j++) sum += dy[b * outputs + j] * w[j * n + i];
                dInput[b * n + i] = sum;
            }
        }
        for (int j = 0; j < outputs; j++)
        {
            for (int i = 0; i < n; i++)
            {
                double sum = 0.0;
                for (int b = 0; b < batch; b++) sum += dy[b * outputs + j] * x[b * n + i];
                dWeight[j * n + i] = sum;
            }
            double biasSum = 0.0;
            for (int b = 0; b < batch; b++) biasSum += dy[b * outputs + j];
            dBias[j] = biasSum;
        }
        Golden.AssertBitwise("forward", forward, h.Forward());
        var (dx, grads) = h.Backward(2);
        Golden.AssertBitwise("input gradient", dInput, dx);
        Golden.AssertBitwise("weight gradient", dWeight, grads["dense1.weight"]);
        Golden.AssertBitwise("bias gradient", dBias, grads["dense1.bias"]);
    }

    [Theory]
    [InlineData("avgpool", 2, 2)]
    [InlineData("avgpool", 3, 2)]
    [InlineData("avgpool", 3, 1)]
    [InlineData("maxpool", 2, 2)]
    [InlineData("maxpool", 3, 2)]
    [InlineData("maxpool", 2, 3)]
    public void Pools_follow_their_documented_orders(string kind, int k, int s)
    {
        var h = new LayerHarness($"conv(c=2,k=3) {kind}(k={k},s={s}) flatten dense(10)", 1, batch: 2);
        SpecLayer layer = h.Layer;
        int planes = h.Batch * layer.Input.Channels, hIn = layer.Input.Height, wIn = layer.Input.Width;
        int ho = (hIn - k) / s + 1, wo = (wIn - k) / s + 1;
        Assert.Equal((ho, wo), (layer.Output.Height, layer.Output.Width));
        double[] x = h.Input, dy = h.OutputGradient;
        var forward = new double[planes * ho * wo];
        var dInput = new double[x.Length];
        for (int plane = 0; plane < planes; plane++)
            for (int y = 0; y < ho; y++)
                for (int xo = 0; xo < wo; xo++)
                {
                    int at = plane * hIn * wIn + y * s * wIn + xo * s, best = at;
                    double sum = 0.0;
                    for (int ky = 0; ky < k; ky++)
                        for (int kx = 0; kx < k; kx++)
                        {
                            int i = plane * hIn * wIn + (y * s + ky) * wIn + xo * s + kx;
                            sum += x[i];
                            if (x[i] > x[best]) best = i;
                        }
                    int o = (plane * ho + y) * wo + xo;
                    if (kind == "avgpool")
                    {
                        forward[o] = sum / (k * k);
                        for (int ky = 0; ky < k; ky++)
                            for (int kx = 0; kx < k; kx++)
                                dInput[plane * hIn * wIn + (y * s + ky) * wIn + xo * s + kx] += dy[o] / (k * k);
                    }
                    else
                    {
                        forward[o] = x[best];
                        dInput[best] += dy[o];
                    }
                }
        Golden.AssertBitwise("forward", forward, h.Forward());
        Golden.AssertBitwise("input gradient", dInput, h.Backward().Input);
    }
}
