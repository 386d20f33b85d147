using CnnParity.Core.Architecture;

namespace CnnParity.Onnx.Tests;

/// <summary>
/// The spec's inference pass in plain float64 loops, straight from the PyTorch definitions each layer cites: the
/// yardstick for the exported graph until the from-scratch engine for any spec is merged.
/// </summary>
static class PlainReference
{
    public static double[] Logits(ArchitectureSpec spec, Func<string, double[]> parameter, double[] images, int count)
    {
        var logits = new double[count * ArchitectureSpec.Classes];
        int pixels = spec.Input.Size;
        for (int n = 0; n < count; n++)
        {
            double[] x = images.AsSpan(n * pixels, pixels).ToArray();
            foreach (var layer in spec.Layers)
                x = Forward(layer, parameter, x);
            x.CopyTo(logits, n * ArchitectureSpec.Classes);
        }
        return logits;
    }

    static double[] Forward(SpecLayer layer, Func<string, double[]> parameter, double[] x)
    {
        var (inp, outp) = (layer.Input, layer.Output);
        var y = new double[outp.Size];
        switch (layer.Spec)
        {
            case Conv2dSpec conv:
                double[] w = parameter($"{layer.Name}.weight");
                double[]? b = conv.Bias ? parameter($"{layer.Name}.bias") : null;
                for (int o = 0; o < outp.Channels; o++)
                    for (int i = 0; i < outp.Height; i++)
                        for (int j = 0; j < outp.Width; j++)
                        {
                            double sum = b?[o] ?? 0;
                            for (int c = 0; c < inp.Channels; c++)
                                for (int r = 0; r < conv.Kernel; r++)
                                    for (int s = 0; s < conv.Kernel; s++)
                                    {
                                        int h = i * conv.Stride + r - conv.Padding, v = j * conv.Stride + s - conv.Padding;
                                        if (h < 0 || v < 0 || h >= inp.Height || v >= inp.Width) continue;
                                        sum += w[((o * inp.Channels + c) * conv.Kernel + r) * conv.Kernel + s] * x[(c * inp.Height + h) * inp.Width + v];
                                    }
                            y[(o * outp.Height + i) * outp.Width + j] = sum;
                        }
                return y;
            case CropSpec:
                for (int c = 0; c < outp.Channels; c++)
                    for (int i = 0; i < outp.Height; i++)
                        for (int j = 0; j < outp.Width; j++)
                            y[(c * outp.Height + i) * outp.Width + j] = x[(c * inp.Height + i) * inp.Width + j];
                return y;
            case Pool2dSpec pool:
                for (int c = 0; c < outp.Channels; c++)
                    for (int i = 0; i < outp.Height; i++)
                        for (int j = 0; j < outp.Width; j++)
                        {
                            double acc = pool.Kind == PoolKind.Max ? double.NegativeInfinity : 0;
                            for (int r = 0; r < pool.Kernel; r++)
                                for (int s = 0; s < pool.Kernel; s++)
                                {
                                    double v = x[(c * inp.Height + i * pool.Stride + r) * inp.Width + j * pool.Stride + s];
                                    acc = pool.Kind == PoolKind.Max ? Math.Max(acc, v) : acc + v;
                                }
                            y[(c * outp.Height + i) * outp.Width + j] = pool.Kind == PoolKind.Max ? acc : acc / (pool.Kernel * pool.Kernel);
                        }
                return y;
            case ActivationSpec activation:
                for (int k = 0; k < y.Length; k++)
                    y[k] = activation.Kind switch
                    {
                        ActivationKind.Tanh => Math.Tanh(x[k]),
                        ActivationKind.ReLU => Math.Max(0, x[k]),
                        _ => 1 / (1 + Math.Exp(-x[k])),
                    };
                return y;
            case DropoutSpec or FlattenSpec:
                return x; // dropout is the identity at inference; flatten keeps NCHW order
            case DenseSpec dense:
                double[] wd = parameter($"{layer.Name}.weight");
                double[]? bd = dense.Bias ? parameter($"{layer.Name}.bias") : null;
                for (int o = 0; o < outp.Channels; o++)
                {
                    double sum = bd?[o] ?? 0;
                    for (int i = 0; i < inp.Channels; i++) sum += wd[o * inp.Channels + i] * x[i];
                    y[o] = sum;
                }
                return y;
            default:
                throw new NotSupportedException(layer.Spec.Text);
        }
    }
}
