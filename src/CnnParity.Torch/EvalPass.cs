using CnnParity.Core.Architecture;
using CnnParity.Torch.Twin;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch;

/// <summary>
/// A model's test pass as PyTorch runs one: <c>model.eval()</c>, <c>torch.no_grad()</c>, the images in chunks, each
/// chunk's tensors freed with it (so 10,000 images never hold their activations at once).
/// </summary>
public static class EvalPass
{
    /// <summary>
    /// The logits of <paramref name="count"/> images (B·784 values x/255, image after image) as float64,
    /// <see cref="ArchitectureSpec.Classes"/> per image; <paramref name="model"/>'s forward is its eval pass.
    /// </summary>
    public static double[] Logits(nn.Module<Tensor, Tensor> model, ScalarType dtype, ReadOnlySpan<double> images, int count, int chunk = 1000)
    {
        const int classes = ArchitectureSpec.Classes;
        int pixels = ArchitectureSpec.MnistInput.Size;
        var logits = new double[count * classes];
        model.eval();
        using var _ = no_grad();
        for (int start = 0; start < count; start += chunk)
        {
            int n = Math.Min(chunk, count - start);
            using var scope = NewDisposeScope();
            var output = model.forward(SpecLayout.Images(images.Slice(start * pixels, n * pixels), n, dtype));
            SpecLayout.ToDoubles(output).CopyTo(logits.AsSpan(start * classes, n * classes));
        }
        return logits;
    }
}
