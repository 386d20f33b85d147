using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.IO;
using CnnParity.Testing.NumPy;
using CnnParity.Core.Scratch;

namespace CnnParity.Onnx;

/// <summary>
/// The weights file that <c>train --save</c> writes and <c>export --weights</c> reads: a NumPy <c>.npz</c>
/// (<c>np.savez</c>, uncompressed) of float64 arrays, so <c>np.load</c> opens it too.
/// <list type="bullet">
/// <item>Any spec: one array per parameter, keyed by its PyTorch state_dict name (<c>conv1.weight</c>, <c>dense1.bias</c>),
/// in its PyTorch shape — what <c>model.load_state_dict({k: torch.from_numpy(v) for k, v in np.load(f).items()})</c> takes.</item>
/// <item>ch10: the notebook's own arrays, <c>kernels</c> (9, K) and <c>weights_1_2</c> (hidden, 10), as
/// <c>reference/cnn_reference.py</c> holds them.</item>
/// </list>
/// Reading checks the file against the spec: every array present, none extra, each of the spec's shape, float64,
/// finite; anything else is one line naming the file and the array.
/// </summary>
public static class WeightsFile
{
    /// <summary>The ch10 keys: the notebook's variable names.</summary>
    public const string Kernels = "kernels", WeightsOneTwo = "weights_1_2";

    /// <summary>Writes every parameter of <paramref name="spec"/> by state_dict name (whole or not at all).</summary>
    public static void Save(string path, ArchitectureSpec spec, Func<string, double[]> parameters) =>
        AtomicFile.WriteAllBytes(path, NpzWriter.Write(spec.Parameters.Select(p => (p.Name, p.Shape, parameters(p.Name)))));

    /// <summary>Writes the chapter-10 network's <c>kernels</c> and <c>weights_1_2</c>.</summary>
    public static void SaveChapter10(string path, ScratchNetwork network) =>
        AtomicFile.WriteAllBytes(path, NpzWriter.Write(Chapter10Shapes(network.Config.NumKernels, network.Config.Hidden)
            .Select(a => (a.Name, a.Shape, a.Name == Kernels ? network.Kernels : network.WeightsOneTwo))));

    /// <summary>The parameters of <paramref name="spec"/> (not ch10) by state_dict name.</summary>
    public static Dictionary<string, double[]> Load(string path, ArchitectureSpec spec)
    {
        if (spec.IsChapter10) throw new ArgumentException("ch10 weights are kernels and weights_1_2: use LoadChapter10", nameof(spec));
        return Read(path, spec.DisplayName, spec.Parameters.Select(p => (p.Name, p.Shape)).ToList());
    }

    /// <summary>The chapter-10 network's <c>kernels</c> (9 x K) and <c>weights_1_2</c> (hidden x 10) for <paramref name="config"/>.</summary>
    public static (double[] Kernels, double[] WeightsOneTwo) LoadChapter10(string path, ScratchConfig config)
    {
        var arrays = Read(path, $"ch10 (K={config.NumKernels}, grid {config.Grid})", Chapter10Shapes(config.NumKernels, config.Hidden));
        return (arrays[Kernels], arrays[WeightsOneTwo]);
    }

    static List<(string Name, long[] Shape)> Chapter10Shapes(int numKernels, int hidden) =>
        [(Kernels, [ScratchConfig.KernelArea, numKernels]), (WeightsOneTwo, [hidden, ArchitectureSpec.Classes])];

    static Dictionary<string, double[]> Read(string path, string what, IReadOnlyList<(string Name, long[] Shape)> expected)
    {
        IReadOnlyDictionary<string, NpyArray> arrays;
        try
        {
            arrays = Npz.Load(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CnnParityException($"cannot read the weights file '{path}': {e.Message}");
        }
        catch (InvalidDataException e)
        {
            throw new CnnParityException($"the weights file '{path}' is not a NumPy .npz: {e.Message.ReplaceLineEndings(" ")}");
        }
        var extra = arrays.Keys.Except(expected.Select(e => e.Name)).ToList();
        if (extra.Count > 0)
            throw new CnnParityException($"the weights file '{path}' has arrays that {what} does not: {string.Join(", ", extra)}");
        var result = new Dictionary<string, double[]>();
        foreach (var (name, shape) in expected)
        {
            if (!arrays.TryGetValue(name, out var array))
                throw new CnnParityException($"the weights file '{path}' has no array '{name}', which {what} needs");
            string want = "(" + string.Join(", ", shape) + (shape.Length == 1 ? ",)" : ")");
            if (!array.Shape.Select(d => (long)d).SequenceEqual(shape))
                throw new CnnParityException($"the weights file '{path}': '{name}' has shape {array.ShapeText}, {what} needs {want}");
            if (array.Descr != "<f8")
                throw new CnnParityException($"the weights file '{path}': '{name}' is {array.Descr}, not float64 (<f8)");
            double[] values = array.ToDoubleArray();
            if (!values.All(double.IsFinite))
                throw new CnnParityException($"the weights file '{path}': '{name}' has NaN or infinite values");
            result[name] = values;
        }
        return result;
    }
}
