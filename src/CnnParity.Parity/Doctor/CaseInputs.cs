using System.Text;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// The numbers a case runs on, all float32 values (a float64 case promotes them exactly, so the float64 truth and both
/// dtypes start from the very same numbers): drawn from NumPy's RandomState seeded by the case's op and shapes (not its
/// dtype or check: the f32 and f64 cases of a shape, and its forward and backward, share their numbers).
/// <list type="bullet">
/// <item>input: U[0, 1) into conv2d, pooling and linear (images and activations), U[-3, 3) into the elementwise ops
/// (both sides of relu's kink and tanh's and sigmoid's saturation), U[-4, 4) logits into the losses;</item>
/// <item>weight and bias: U(-1/√fan_in, 1/√fan_in), PyTorch's default initialisation;</item>
/// <item>the output gradient given to the backward pass: U[-1, 1); labels uniform over the classes.</item>
/// </list>
/// </summary>
public sealed record CaseInputs(float[] Input, IReadOnlyList<float[]> Parameters, float[] OutputGradient, byte[] Labels)
{
    /// <summary>The inputs of <paramref name="c"/>: the same for every dtype and check of its op and shapes.</summary>
    public static CaseInputs For(DoctorCase c)
    {
        var random = new NumPyRandomState(Seed($"{c.Op.Name()} {c.Batch}x{c.Input} {c.Layer?.Text}"));
        float[] Uniform(long count, double low, double high)
        {
            var values = new float[count];
            for (long i = 0; i < count; i++) values[i] = (float)(low + (high - low) * random.RandomSample());
            return values;
        }
        var (low, high) = c.Op switch
        {
            TorchOp.Conv2d or TorchOp.MaxPool2d or TorchOp.AvgPool2d or TorchOp.Linear => (0.0, 1.0),
            TorchOp.LogSoftmax or TorchOp.CrossEntropy => (-4.0, 4.0),
            _ => (-3.0, 3.0),
        };
        float[] input = Uniform((long)c.Batch * c.Input.Size, low, high);
        double bound = 1 / Math.Sqrt(FanIn(c));
        float[][] parameters = [.. ParameterShapes(c).Select(shape => Uniform(shape.Aggregate(1L, (a, b) => a * b), -bound, bound))];
        float[] dOutput = Uniform((long)c.Batch * c.Output.Size, -1, 1);
        int classes = c.Input.Size;
        byte[] labels = c.Op == TorchOp.CrossEntropy
            ? [.. Enumerable.Range(0, c.Batch).Select(_ => (byte)Math.Min(classes - 1, (int)(random.RandomSample() * classes)))]
            : [];
        return new CaseInputs(input, parameters, dOutput, labels);
    }

    /// <summary>PyTorch's shapes of the op's weight and bias (conv2d (O, C/G, K, K) and (O); linear (N, F) and (N)); none for the rest.</summary>
    public static IReadOnlyList<long[]> ParameterShapes(DoctorCase c) => c.Layer switch
    {
        Conv2dSpec conv => conv.Bias
            ? [[conv.OutChannels, conv.InputsPerGroup(c.Input), conv.Kernel, conv.Kernel], [conv.OutChannels]]
            : [[conv.OutChannels, conv.InputsPerGroup(c.Input), conv.Kernel, conv.Kernel]],
        DenseSpec dense => dense.Bias ? [[dense.Outputs, c.Input.Size], [dense.Outputs]] : [[dense.Outputs, c.Input.Size]],
        _ => [],
    };

    static int FanIn(DoctorCase c) => c.Layer is Conv2dSpec conv ? conv.InputsPerGroup(c.Input) * conv.Kernel * conv.Kernel : Math.Max(1, c.Input.Size);

    // FNV-1a: a stable seed from the text (string.GetHashCode changes from run to run).
    static uint Seed(string text)
    {
        uint hash = 2166136261;
        foreach (byte b in Encoding.UTF8.GetBytes(text))
            hash = (hash ^ b) * 16777619;
        return hash;
    }
}
