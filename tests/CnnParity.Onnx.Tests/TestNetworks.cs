using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Onnx.Tests;

/// <summary>Weights and images for tests that need no dataset, drawn from NumPy's RandomState as the engines draw theirs.</summary>
static class TestNetworks
{
    /// <summary>The spec's initial weights for <paramref name="seed"/> (PyTorch's default bound, drawn from NumPy).</summary>
    public static ParameterSet<double> Parameters(ArchitectureSpec spec, uint seed) =>
        ParameterSet<double>.Initialize(spec, new NumPyRandomState(seed));

    /// <summary>The values as float32 holds them, widened back exactly: what the exported initializers contain.</summary>
    public static ParameterSet<double> AsFloat32(ParameterSet<double> parameters) => parameters.ToFloat32().ToFloat64();

    /// <summary><paramref name="count"/> images of uniform pixels, multiples of 1/255 like MNIST's.</summary>
    public static float[] Images(ArchitectureSpec spec, int count, uint seed)
    {
        var random = new NumPyRandomState(seed);
        var images = new float[count * spec.Input.Size];
        for (int i = 0; i < images.Length; i++) images[i] = random.RandInt(0, 256) / 255f;
        return images;
    }

    /// <summary>The from-scratch engine's logits (float64, evaluation mode) for float32 images widened exactly.</summary>
    public static double[] EngineLogits(ArchitectureSpec spec, ParameterSet<double> parameters, float[] images, int count)
    {
        var network = new SpecNetwork<double>(spec, parameters, threads: 1);
        double[] wide = [.. images.AsSpan(0, count * spec.Input.Size).ToArray().Select(v => (double)v)];
        return network.Forward(wide, count, null).Logits.AsSpan(0, count * ArchitectureSpec.Classes).ToArray();
    }
}
