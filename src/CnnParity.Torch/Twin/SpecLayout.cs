using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Architecture;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// The one place where the generic from-scratch engine's layouts meet TorchSharp's — and for every spec they are
/// the same, so each mapping is the identity on the values and only gives them a shape:
/// <list type="bullet">
/// <item>Parameters: the engine keeps PyTorch's layout (conv weight (out, in, k, k), dense weight (out, in), bias
/// (out)), flat in C order, so a ParameterSet tensor is its state_dict tensor's <c>contiguous().data</c>.</item>
/// <item>Activations and dropout masks: the engine keeps a batch NCHW, image after image (B·C·H·W values), or
/// (B, F) after flatten, which is a contiguous torch tensor of <see cref="ActivationShape.BatchShape"/>.</item>
/// <item>Images: B·784 values x/255, the input shape (B, 1, 28, 28) (<see cref="Images"/>).</item>
/// </list>
/// (The ch10 network's hand-written engines keep another layout; <see cref="NotebookLayout"/> maps that one.)
/// </summary>
public static class SpecLayout
{
    /// <summary>A tensor of <paramref name="shape"/> holding <paramref name="values"/> in C order, rounded once to <paramref name="dtype"/>.</summary>
    public static Tensor ToTorch(ReadOnlySpan<double> values, long[] shape, ScalarType dtype)
    {
        CheckLength(values.Length, shape);
        var exact = tensor(values.ToArray(), shape, float64);
        if (dtype == float64) return exact;
        using (exact) return exact.to_type(dtype);
    }

    /// <summary>A float32 tensor of <paramref name="shape"/> holding <paramref name="values"/> in C order.</summary>
    public static Tensor ToTorch(ReadOnlySpan<float> values, long[] shape)
    {
        CheckLength(values.Length, shape);
        return tensor(values.ToArray(), shape, float32);
    }

    /// <summary>Class labels as the int64 (B) tensor cross_entropy takes.</summary>
    public static Tensor Labels(ReadOnlySpan<byte> labels)
    {
        var values = new long[labels.Length];
        for (int i = 0; i < values.Length; i++) values[i] = labels[i];
        return tensor(values, [values.Length], int64);
    }

    /// <summary>A tensor's values in C order as float64 (exact for float32 values).</summary>
    public static double[] ToDoubles(Tensor t)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return t.detach().to_type(float64).contiguous().data<double>().ToArray();
    }

    /// <summary>A float32 tensor's values in C order.</summary>
    public static float[] ToSingles(Tensor t)
    {
        if (t.dtype != float32) throw new ArgumentException($"expected a float32 tensor, got {t.dtype}");
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return t.detach().contiguous().data<float>().ToArray();
    }

    /// <summary>
    /// A batch of images (B·784 values x/255, image after image) as the input every spec reads,
    /// (B, 1, 28, 28) (<see cref="ArchitectureSpec.MnistInput"/>), rounded once to <paramref name="dtype"/>.
    /// </summary>
    public static Tensor Images(ReadOnlySpan<double> images, int batch, ScalarType dtype) =>
        ToTorch(images, ArchitectureSpec.MnistInput.BatchShape(batch), dtype);

    /// <summary>(B, C, H, W) or (B, F): a batch of one layer's outputs (and of its dropout mask).</summary>
    public static long[] OutputShape(SpecLayer layer, int batch) => layer.Output.BatchShape(batch);

    static void CheckLength(int length, long[] shape)
    {
        long expected = shape.Aggregate(1L, (a, b) => a * b);
        if (length != expected)
            throw new ArgumentException($"{length} values cannot fill a tensor of shape ({string.Join(", ", shape)}), which holds {expected}");
    }
}
