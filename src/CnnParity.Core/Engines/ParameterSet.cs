using System.Numerics;
using CnnParity.Core.Architecture;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines;

/// <summary>
/// The trainable tensors of a spec (or their gradients): one flat array per <see cref="ParameterSpec"/>, in
/// <see cref="ArchitectureSpec.Parameters"/> order (PyTorch's state_dict order), each in PyTorch's layout — conv
/// weight (out, in, k, k), dense weight (out, in), bias (out) — so copying into torch.nn modules or ONNX initializers
/// is the identity. Indexed by state_dict name: <c>set["conv1.weight"]</c>.
/// <code>
/// var parameters = ParameterSet&lt;double&gt;.Initialize(spec, new NumPyRandomState(1));
/// float[] w = parameters.ToFloat32()["dense1.weight"];
/// </code>
/// </summary>
public sealed class ParameterSet<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T[][] _values;
    private readonly Dictionary<string, int> _index;

    private ParameterSet(ArchitectureSpec spec, T[][] values)
    {
        Spec = spec;
        _values = values;
        _index = spec.Parameters.Select((p, i) => (p.Name, i)).ToDictionary(x => x.Name, x => x.i);
    }

    /// <summary>A set of zeros for <paramref name="spec"/> (e.g. to receive gradients).</summary>
    public static ParameterSet<T> Zeros(ArchitectureSpec spec) =>
        new(spec, spec.Parameters.Select(p => PinnedArray.Allocate<T>(p.Size)).ToArray());

    /// <summary>A set holding copies of <paramref name="values"/>, one array per parameter in spec order.</summary>
    public static ParameterSet<T> FromArrays(ArchitectureSpec spec, IReadOnlyList<T[]> values)
    {
        if (values.Count != spec.Parameters.Count)
        {
            throw new ArgumentException($"{values.Count} arrays for {spec.Parameters.Count} parameters", nameof(values));
        }
        for (int i = 0; i < values.Count; i++)
        {
            if (values[i].Length != spec.Parameters[i].Size)
            {
                throw new ArgumentException($"{spec.Parameters[i].Name} needs {spec.Parameters[i].Size} values, got {values[i].Length}", nameof(values));
            }
        }
        return new(spec, values.Select(v => PinnedArray.Copy<T>(v)).ToArray());
    }

    /// <summary>
    /// PyTorch's default initialisation drawn from NumPy: for each parameter in spec order,
    /// <c>bound = 1 / np.sqrt(fan_in)</c> and <c>(2 * rs.random_sample(shape) - 1) * bound</c> in C order of the PyTorch
    /// shape. kaiming_uniform_(a=√5) on a weight and PyTorch's bias rule both come to U(-1/√fan_in, 1/√fan_in); the
    /// numbers come from <paramref name="random"/> so that the NumPy reference can draw the very same ones.
    /// </summary>
    public static ParameterSet<double> Initialize(ArchitectureSpec spec, NumPyRandomState random)
    {
        var values = new double[spec.Parameters.Count][];
        for (int i = 0; i < values.Length; i++)
        {
            ParameterSpec p = spec.Parameters[i];
            double bound = 1 / Math.Sqrt(p.FanIn);
            double[] v = PinnedArray.Allocate<double>(p.Size);
            if (p.Constant is double constant)
            {
                v.AsSpan().Fill(constant); // batch norm's γ and β: nothing drawn, so the stream stays the NumPy reference's
                values[i] = v;
                continue;
            }
            for (int j = 0; j < v.Length; j++)
            {
                v[j] = (2 * random.RandomSample() - 1) * bound;
            }
            values[i] = v;
        }
        return new ParameterSet<double>(spec, values);
    }

    /// <summary>The initial weights <paramref name="initialisation"/> draws from <paramref name="random"/>.</summary>
    public static ParameterSet<double> Initialize(ArchitectureSpec spec, NumPyRandomState random, Initialisation initialisation) =>
        initialisation == Initialisation.Notebook ? Chapter10.NotebookParameters.Initialize(spec, random) : Initialize(spec, random);

    public ArchitectureSpec Spec { get; }

    /// <summary>The parameters' names, shapes and layers, in order.</summary>
    public IReadOnlyList<ParameterSpec> Specs => Spec.Parameters;

    /// <summary>The values of parameter <paramref name="name"/> (a state_dict name), flat in PyTorch's layout; writable.</summary>
    public T[] this[string name] => _index.TryGetValue(name, out int i)
        ? _values[i]
        : throw new ArgumentException($"the spec has no parameter '{name}'", nameof(name));

    /// <summary>The values of the <paramref name="index"/>-th parameter in spec order.</summary>
    public T[] this[int index] => _values[index];

    /// <summary>Whether the spec has a parameter called <paramref name="name"/>.</summary>
    public bool Contains(string name) => _index.ContainsKey(name);

    public ParameterSet<T> Clone() => new(Spec, _values.Select(v => PinnedArray.Copy<T>(v)).ToArray());

    /// <summary>Every value rounded once to float32 (round to nearest even).</summary>
    public ParameterSet<float> ToFloat32() =>
        new(Spec, _values.Select(v => PinnedArray.Copy<float>(v.Select(x => (float)double.CreateTruncating(x)).ToArray())).ToArray());

    /// <summary>Every value as float64 (exact).</summary>
    public ParameterSet<double> ToFloat64() =>
        new(Spec, _values.Select(v => PinnedArray.Copy<double>(v.Select(double.CreateTruncating).ToArray())).ToArray());

    internal static ParameterSet<T> Wrap(ArchitectureSpec spec, T[][] pinnedValues) => new(spec, pinnedValues);
}
