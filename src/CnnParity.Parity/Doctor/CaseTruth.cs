using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;

namespace CnnParity.Parity.Doctor;

/// <summary>One tensor a case checks: its float64 truth and, per element, the most LibTorch may differ from it.</summary>
/// <param name="Name">"output", "loss", "input.grad", "weight.grad" or "bias.grad"</param>
public sealed record CheckedTensor(string Name, double[] Truth, double[] Bounds);

/// <summary>
/// The float64 truth of a case, from the from-scratch engine's own layers (<see cref="OpReference"/>), and each element's
/// bound (<see cref="RoundingBound"/>): for a sum, γ_n of both sides times Σ|terms|, the engine's layer run on absolute
/// values; for the elementwise functions and the softmax, a few ULPs of the magnitudes their formulas carry.
/// </summary>
public static class CaseTruth
{
    /// <summary>The tensors <paramref name="c"/> checks, in the order <see cref="TorchSide.Run"/> returns LibTorch's.</summary>
    public static IReadOnlyList<CheckedTensor> Compute(DoctorCase c, CaseInputs inputs, int threads)
    {
        double[] x = Doubles(inputs.Input), dy = Doubles(inputs.OutputGradient);
        return c.Op switch
        {
            TorchOp.LogSoftmax => LogSoftmax(c, x, dy),
            TorchOp.CrossEntropy => CrossEntropy(c, x, inputs.Labels),
            _ => Layer(c, x, [.. inputs.Parameters.Select(Doubles)], dy, threads),
        };
    }

    static IReadOnlyList<CheckedTensor> Layer(DoctorCase c, double[] x, double[][] p, double[] dy, int threads)
    {
        var layer = c.Layer ?? new ActivationSpec(c.Op switch
        {
            TorchOp.Tanh => ActivationKind.Tanh,
            TorchOp.Relu => ActivationKind.ReLU,
            _ => ActivationKind.Sigmoid,
        });
        var reference = new OpReference(layer, c.Input, c.Batch, threads);
        double[] absX = Abs(x), absDy = Abs(dy);
        double[][] absP = [.. p.Select(Abs)];
        // Max pooling routes each gradient by where the maximum is: its magnitude keeps x as it is.
        double[] magnitudeX = c.Op == TorchOp.MaxPool2d ? x : absX;
        var dtype = c.Dtype;
        switch (c.Check)
        {
            case DoctorCheck.Forward:
            {
                double[] y = reference.Forward(x, p);
                double[] bounds = c.Op switch
                {
                    TorchOp.MaxPool2d or TorchOp.Relu => new double[y.Length],
                    TorchOp.Tanh or TorchOp.Sigmoid => Scaled(Abs(y), RoundingBound.UlpFactor(dtype), dtype),
                    _ => Scaled(reference.Forward(absX, absP), RoundingBound.SumFactor(ForwardTerms(c), dtype), dtype),
                };
                return [new("output", y, bounds)];
            }
            case DoctorCheck.InputGradient:
            {
                double[] dx = reference.InputGradient(x, p, dy);
                double[] bounds;
                if (c.Op is TorchOp.Relu)
                {
                    bounds = new double[dx.Length];
                }
                else if (c.Op is TorchOp.Tanh or TorchOp.Sigmoid)
                {
                    // dx = dy·(1 − y²) or dy·y·(1 − y), from LibTorch's own y (off by up to 8 ULPs): 20 ULPs of |dy|·(1 + y²) or |dy|·y.
                    double[] y = reference.Forward(x, p);
                    double[] magnitude = [.. y.Select((v, i) => absDy[i] * (c.Op == TorchOp.Tanh ? 1 + v * v : Math.Abs(v)))];
                    bounds = Scaled(magnitude, RoundingBound.UlpFactor(dtype, 20), dtype);
                }
                else
                {
                    bounds = Scaled(reference.InputGradient(magnitudeX, absP, absDy), RoundingBound.SumFactor(InputGradientTerms(c), dtype), dtype);
                }
                return [new("input.grad", dx, bounds)];
            }
            default:
            {
                double[][] gradients = reference.ParameterGradients(x, p, dy);
                double[][] magnitudes = reference.ParameterGradients(absX, absP, absDy);
                double factor = RoundingBound.SumFactor(WeightGradientTerms(c), dtype);
                return [.. gradients.Select((g, i) => new CheckedTensor(i == 0 ? "weight.grad" : "bias.grad", g, Scaled(magnitudes[i], factor, dtype)))];
            }
        }
    }

    // Terms per output of each sum (the bias is one more term; an average is a sum, a division and maybe a reciprocal).
    static long ForwardTerms(DoctorCase c) => c.Layer switch
    {
        Conv2dSpec conv => (long)c.Input.Channels * conv.Kernel * conv.Kernel + 1,
        DenseSpec => c.Input.Size + 1L,
        Pool2dSpec pool => (long)pool.Kernel * pool.Kernel + 2,
        _ => 1,
    };

    static long InputGradientTerms(DoctorCase c) => c.Layer switch
    {
        Conv2dSpec conv => (long)conv.OutChannels * conv.Kernel * conv.Kernel,
        DenseSpec dense => dense.Outputs,
        Pool2dSpec pool => Windows(pool) + (pool.Kind == PoolKind.Average ? 2 : 0),
        _ => 1,
    };

    // Every weight (and bias) gradient sums over the batch and the output positions.
    static long WeightGradientTerms(DoctorCase c) => (long)c.Batch * c.Output.Height * c.Output.Width;

    // How many windows can hold one input position: ⌈K/S⌉².
    static long Windows(Pool2dSpec pool)
    {
        long perSide = (pool.Kernel + pool.Stride - 1) / pool.Stride;
        return perSide * perSide;
    }

    // log_softmax: y[j] = (z[j] − m) − log s. The subtraction is off by u·|z[j] − m|, log s by (γ_n + 8u) plus 8 ULPs of
    // itself (s is a sum of n exps of 8 ULPs each); its backward dz = dy − exp(y)·Σdy carries y's error times p·Σ|dy|.
    static IReadOnlyList<CheckedTensor> LogSoftmax(DoctorCase c, double[] z, double[] dy)
    {
        int n = c.Input.Size;
        double[] y = OpReference.LogSoftmax(z, c.Batch, n);
        var (shift, logSum) = Rows(z, y, c.Batch, n);
        if (c.Check == DoctorCheck.Forward)
        {
            double[] magnitude = [.. z.Select((_, i) => 1 + shift[i] + logSum[i / n])];
            return [new("output", y, Scaled(magnitude, RoundingBound.SumFactor(n + RoundingBound.TranscendentalUlps, c.Dtype), c.Dtype))];
        }
        double[] dz = OpReference.LogSoftmaxBackward(y, dy, c.Batch, n);
        double[] rowSums = [.. Enumerable.Range(0, c.Batch).Select(b => dy.AsSpan(b * n, n).ToArray().Sum(Math.Abs))];
        double[] backward = [.. dz.Select((_, i) => Math.Abs(dy[i]) + Math.Exp(y[i]) * rowSums[i / n] * (2 + shift[i] + logSum[i / n]))];
        return [new("input.grad", dz, Scaled(backward, RoundingBound.SumFactor(n + 2 * RoundingBound.TranscendentalUlps, c.Dtype), c.Dtype))];
    }

    // cross_entropy = −mean over the batch of log_softmax at the label: log_softmax's bound, then a sum of B terms and a
    // division; its gradient (p − onehot)/B carries p's error, as log_softmax's backward does.
    static IReadOnlyList<CheckedTensor> CrossEntropy(DoctorCase c, double[] z, byte[] labels)
    {
        int n = c.Input.Size, batch = c.Batch;
        double[] y = OpReference.LogSoftmax(z, batch, n);
        var (shift, logSum) = Rows(z, y, batch, n);
        if (c.Check == DoctorCheck.Forward)
        {
            double loss = OpReference.CrossEntropy(z, labels, batch, n);
            double magnitude = Enumerable.Range(0, batch).Sum(b =>
            {
                int i = b * n + labels[b];
                return 1 + shift[i] + logSum[b] + Math.Abs(y[i]);
            }) / batch;
            double factor = RoundingBound.SumFactor(n + RoundingBound.TranscendentalUlps + batch + 1, c.Dtype);
            return [new("loss", [loss], Scaled([magnitude], factor, c.Dtype))];
        }
        double[] dz = OpReference.CrossEntropyBackward(z, labels, batch, n);
        double[] bounds = [.. dz.Select((_, i) => (Math.Exp(y[i]) * (2 + shift[i] + logSum[i / n]) + (labels[i / n] == i % n ? 1 : 0)) / batch)];
        return [new("input.grad", dz, Scaled(bounds, RoundingBound.SumFactor(n + 2 * RoundingBound.TranscendentalUlps, c.Dtype), c.Dtype))];
    }

    // Per element |z[j] − m|, per row |log s| (recovered from the truth: log s = (z[j] − m) − y[j]).
    static (double[] Shift, double[] LogSum) Rows(double[] z, double[] y, int batch, int n)
    {
        var shift = new double[z.Length];
        var logSum = new double[batch];
        for (int b = 0; b < batch; b++)
        {
            double m = z.AsSpan(b * n, n).ToArray().Max();
            for (int j = 0; j < n; j++) shift[b * n + j] = Math.Abs(z[b * n + j] - m);
            logSum[b] = Math.Abs((z[b * n] - m) - y[b * n]);
        }
        return (shift, logSum);
    }

    static double[] Scaled(double[] magnitude, double factor, Dtype dtype) =>
        [.. magnitude.Select(m => factor * m + RoundingBound.Floor(dtype))];

    static double[] Abs(double[] values) => [.. values.Select(Math.Abs)];

    static double[] Doubles(float[] values) => [.. values.Select(v => (double)v)];
}
