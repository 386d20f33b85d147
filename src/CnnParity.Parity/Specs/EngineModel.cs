using System.Numerics;
using System.Runtime.InteropServices;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.NumPy;

namespace CnnParity.Parity.Specs;

/// <summary>
/// The from-scratch engine as an <see cref="ISpecModel"/>: for any spec the generic <see cref="SpecNetwork{T}"/> in float64 or
/// float32 with the spec's loss (<see cref="ModelOptions"/>); for ch10 in float64 the chapter-10 engine itself, NumPy's bits
/// (<see cref="Chapter10Model"/>).
/// </summary>
public static class EngineModel
{
    /// <summary>An engine of <paramref name="spec"/> in <paramref name="dtype"/> holding <paramref name="values"/> (by name; rounded once for float32).</summary>
    public static ISpecModel Create(ArchitectureSpec spec, Dtype dtype, Func<string, double[]> values, int threads,
        NumPyExpKernel exp = NumPyExpKernel.Svml)
    {
        if (spec.IsChapter10 && dtype == Dtype.Float64) return new Chapter10Model(spec, values, threads, exp);
        var loss = ModelOptions.Of(spec).Loss;
        var f64 = ParameterSet<double>.FromArrays(spec, spec.Parameters.Select(p => values(p.Name)).ToList());
        return dtype == Dtype.Float64 ? new EngineModel<double>(f64, threads, exp, loss) : new EngineModel<float>(f64.ToFloat32(), threads, exp, loss);
    }
}

/// <summary>
/// The from-scratch engine as one side of a parity check: <see cref="SpecNetwork{T}.Forward"/>, <see cref="SpecNetwork{T}.Loss"/>
/// and <see cref="SpecNetwork{T}.Backward(ForwardPass{T}, ReadOnlySpan{byte})"/>, every value widened exactly to float64.
/// </summary>
public sealed class EngineModel<T> : ISpecModel
    where T : unmanaged, IFloatingPointIeee754<T>
{
    readonly SpecNetwork<T> network;

    public EngineModel(ParameterSet<T> parameters, int threads, NumPyExpKernel exp = NumPyExpKernel.Svml, LossScale loss = LossScale.Mean) =>
        network = new SpecNetwork<T>(parameters.Spec, parameters, threads, exp, loss);

    public ArchitectureSpec Spec => network.Spec;

    public Dtype Dtype => typeof(T) == typeof(double) ? Dtype.Float64 : Dtype.Float32;

    public string Name => "engine";

    public ISpecModelPass Forward(ReadOnlySpan<double> images, int batch, Func<string, double[]>? masks)
    {
        var dropout = masks is null ? null : new DropoutMasks(batch,
            Spec.Layers.Where(l => l.Spec is DropoutSpec).ToDictionary(l => l.Name, l => masks(l.Name)));
        return new Pass(network, network.Forward(In(images), batch, dropout));
    }

    // The images as the engine takes them: float64 as they are, float32 rounded once (as the twin's to_type rounds them).
    static ReadOnlySpan<T> In(ReadOnlySpan<double> images)
    {
        if (typeof(T) == typeof(double)) return MemoryMarshal.Cast<double, T>(images);
        var rounded = new T[images.Length];
        for (int i = 0; i < images.Length; i++) rounded[i] = T.CreateTruncating(images[i]);
        return rounded;
    }

    public double[] Parameter(string name) => Widen(network.Parameters[name]);

    public void SetParameter(string name, int index, double value) => network.Parameters[name][index] = T.CreateTruncating(value);

    /// <summary>Nothing to free: the engine holds managed arrays only (its workers are thread-pool items).</summary>
    public void Dispose() { }

    static double[] Widen(T[] values) => values.Select(double.CreateTruncating).ToArray();

    sealed class Pass(SpecNetwork<T> network, ForwardPass<T> pass) : ISpecModelPass
    {
        public double[] Output(string layer) => Widen(pass.Output(layer));

        public double Loss(ReadOnlySpan<byte> labels) => double.CreateTruncating(network.Loss(pass, labels));

        public IReadOnlyDictionary<string, double[]> Gradients(ReadOnlySpan<byte> labels)
        {
            var gradients = network.Backward(pass, labels);
            return network.Spec.Parameters.ToDictionary(p => p.Name, p => Widen(gradients[p.Name]));
        }

        public void Dispose() { }
    }
}
