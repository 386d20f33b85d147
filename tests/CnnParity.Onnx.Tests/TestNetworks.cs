using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Onnx.Tests;

/// <summary>Parameters and images for tests that need no dataset: drawn from NumPy's RandomState, as the engines draw theirs.</summary>
static class TestNetworks
{
    /// <summary>PyTorch's default bound 1/√fan_in for every weight and bias, drawn in the spec's parameter order.</summary>
    public static Dictionary<string, double[]> Parameters(ArchitectureSpec spec, uint seed)
    {
        var random = new NumPyRandomState(seed);
        var parameters = new Dictionary<string, double[]>();
        foreach (var p in spec.Parameters)
        {
            var values = new double[p.Size];
            random.RandomSample(values);
            double bound = 1 / Math.Sqrt(p.FanIn);
            for (int i = 0; i < values.Length; i++) values[i] = (2 * values[i] - 1) * bound;
            parameters[p.Name] = values;
        }
        return parameters;
    }

    /// <summary>Values as float32 holds them, widened back: what the exported initializers contain.</summary>
    public static Dictionary<string, double[]> AsFloat32(Dictionary<string, double[]> parameters) =>
        parameters.ToDictionary(p => p.Key, p => p.Value.Select(v => (double)(float)v).ToArray());

    /// <summary><paramref name="count"/> images of uniform pixels in [0, 1), multiples of 1/255 like MNIST's.</summary>
    public static float[] Images(ArchitectureSpec spec, int count, uint seed)
    {
        var random = new NumPyRandomState(seed);
        var images = new float[count * spec.Input.Size];
        for (int i = 0; i < images.Length; i++) images[i] = random.RandInt(0, 256) / 255f;
        return images;
    }
}
