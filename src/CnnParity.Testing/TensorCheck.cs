using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>One named tensor against its reference, as a <see cref="ParityCheck"/>: shape first, then every element.</summary>
internal static class TensorCheck
{
    /// <param name="stage">forward, loss, gradient or step N</param>
    /// <param name="name">the submodule or parameter</param>
    /// <param name="actual">the tensor under test, or null when there is none</param>
    /// <param name="expected">the reference tensor</param>
    /// <param name="given">the caller's tolerance; else assert_close's default for the less precise of the two dtypes</param>
    /// <param name="missing">why there is no actual tensor, when <paramref name="actual"/> is null</param>
    public static ParityCheck Compare(string stage, string name, Tensor? actual, Tensor expected, Tolerance? given, string missing = "missing")
    {
        var shape = expected.shape;
        if (actual is null)
            return new ParityCheck(stage, name, shape, expected.dtype, null, given ?? Tolerance.For(expected.dtype), false, missing);
        var tolerance = given ?? Looser(Tolerance.For(actual.dtype), Tolerance.For(expected.dtype));
        if (!actual.shape.SequenceEqual(shape))
            return new ParityCheck(stage, name, shape, expected.dtype, null, tolerance, false,
                $"shape {PythonRepr.Tuple(actual.shape)}, expected {PythonRepr.Tuple(shape)}");
        var meter = new DistanceMeter(tolerance, actual.dtype);
        meter.Add(Values(actual), Values(expected));
        return new ParityCheck(stage, name, shape, expected.dtype, meter.Result, tolerance, meter.Pass || actual.numel() == 0);
    }

    static Tolerance Looser(Tolerance a, Tolerance b) => a.Rtol >= b.Rtol ? a : b;

    static double[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        return t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }
}
