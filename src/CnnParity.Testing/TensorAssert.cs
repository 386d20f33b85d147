using TorchSharp;
using static TorchSharp.torch;
using Source = CnnParity.Testing.MismatchMessage.ToleranceSource;

namespace CnnParity.Testing;

/// <summary>
/// <see href="https://pytorch.org/docs/stable/testing.html">torch.testing.assert_close</see> for TorchSharp:
/// shape, device and dtype are checked first, then every element against
/// <c>|actual − expected| ≤ atol + rtol·|expected|</c> in float64. On failure it throws
/// <see cref="TensorMismatchException"/> with PyTorch's message (mismatched elements, count and %, the greatest
/// absolute and relative difference and where) plus the ULP distance and the values at the worst element.
/// </summary>
public static class TensorAssert
{
    /// <summary>Asserts that two tensors are close.</summary>
    /// <param name="actual">the tensor under test</param>
    /// <param name="expected">the reference tensor</param>
    /// <param name="rtol">relative tolerance; with <paramref name="atol"/>, or both omitted for the dtype's defaults
    /// (assert_close's: float64 1e-7/1e-7, float32 1.3e-6/1e-5, float16 1e-3/1e-5, bfloat16 1.6e-2/1e-5, integers exact)</param>
    /// <param name="atol">absolute tolerance</param>
    /// <param name="equalNan">NaN against NaN counts as close</param>
    /// <param name="name">what the tensors are (e.g. "conv1.weight"), to start the message with</param>
    /// <exception cref="TensorMismatchException">they differ in shape, device or dtype, or some element is not close</exception>
    public static void Close(Tensor actual, Tensor expected, double? rtol = null, double? atol = null,
        bool equalNan = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        var given = Given(rtol, atol);
        Compare(actual, expected, given ?? Tolerance.For(expected.dtype), equalNan, name, given is null ? Source.Default : Source.Given);
    }

    /// <summary>Asserts that two tensors are close within a named tolerance.</summary>
    /// <exception cref="TensorMismatchException">they differ in shape, device or dtype, or some element is not close</exception>
    public static void Close(Tensor actual, Tensor expected, Tolerance tolerance, bool equalNan = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(tolerance);
        Compare(actual, expected, tolerance, equalNan, name, Source.Named);
    }

    /// <summary>Asserts that two float64 arrays are close (defaults: assert_close's float64 tolerance).</summary>
    /// <exception cref="TensorMismatchException">the lengths differ, or some element is not close</exception>
    public static void Close(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, double? rtol = null, double? atol = null,
        bool equalNan = false, string? name = null)
    {
        var given = Given(rtol, atol);
        Compare(actual, expected, given ?? Tolerance.Float64, ScalarType.Float64, equalNan, name, given is null ? Source.Default : Source.Given);
    }

    /// <summary>Asserts that two float64 arrays are close within a named tolerance.</summary>
    /// <exception cref="TensorMismatchException">the lengths differ, or some element is not close</exception>
    public static void Close(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tolerance,
        bool equalNan = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        Compare(actual, expected, tolerance, ScalarType.Float64, equalNan, name, Source.Named);
    }

    /// <summary>Asserts that two float32 arrays are close (defaults: assert_close's float32 tolerance; ULPs in float32).</summary>
    /// <exception cref="TensorMismatchException">the lengths differ, or some element is not close</exception>
    public static void Close(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, double? rtol = null, double? atol = null,
        bool equalNan = false, string? name = null)
    {
        var given = Given(rtol, atol);
        Compare(Widen(actual), Widen(expected), given ?? Tolerance.Float32, ScalarType.Float32, equalNan, name, given is null ? Source.Default : Source.Given);
    }

    /// <summary>Asserts that two float32 arrays are close within a named tolerance.</summary>
    /// <exception cref="TensorMismatchException">the lengths differ, or some element is not close</exception>
    public static void Close(ReadOnlySpan<float> actual, ReadOnlySpan<float> expected, Tolerance tolerance,
        bool equalNan = false, string? name = null)
    {
        ArgumentNullException.ThrowIfNull(tolerance);
        Compare(Widen(actual), Widen(expected), tolerance, ScalarType.Float32, equalNan, name, Source.Named);
    }

    // assert_close's rule: rtol and atol come together or not at all, since one alone would be silently loosened.
    static Tolerance? Given(double? rtol, double? atol)
    {
        if (rtol is null && atol is null) return null;
        if (rtol is null || atol is null)
            throw new ArgumentException(
                $"Both 'rtol' and 'atol' must be either specified or omitted, but got no {(rtol is null ? "rtol" : "atol")}.");
        if (!(rtol >= 0) || !(atol >= 0))
            throw new ArgumentOutOfRangeException(rtol >= 0 ? nameof(atol) : nameof(rtol), "tolerances must be zero or positive");
        return new Tolerance("given", rtol.Value, atol.Value, "as given");
    }

    static void Compare(Tensor actual, Tensor expected, Tolerance tolerance, bool equalNan, string? name, Source source)
    {
        if (!actual.shape.SequenceEqual(expected.shape))
            throw new TensorMismatchException(MismatchMessage.Attribute(name, "shape",
                MismatchMessage.Size(actual.shape), MismatchMessage.Size(expected.shape)));
        if (actual.device.ToString() != expected.device.ToString())
            throw new TensorMismatchException(MismatchMessage.Attribute(name, "device", actual.device.ToString(), expected.device.ToString()));
        if (actual.dtype != expected.dtype)
            throw new TensorMismatchException(MismatchMessage.Attribute(name, "dtype",
                "torch." + MismatchMessage.DTypeName(actual.dtype), "torch." + MismatchMessage.DTypeName(expected.dtype)));
        if (actual.is_complex())
            throw new ArgumentException("complex tensors: compare torch.view_as_real of each instead");

        var meter = new DistanceMeter(tolerance, actual.dtype, equalNan);
        meter.Add(Values(actual), Values(expected));
        var d = meter.Result;
        if (d.Mismatched == 0) return;
        throw new TensorMismatchException(MismatchMessage.Values(name, d, actual.shape, tolerance, actual.dtype, source), d);
    }

    static void Compare(ReadOnlySpan<double> actual, ReadOnlySpan<double> expected, Tolerance tolerance, ScalarType format,
        bool equalNan, string? name, Source source)
    {
        if (actual.Length != expected.Length)
            throw new TensorMismatchException(MismatchMessage.Attribute(name, "shape",
                MismatchMessage.Size([actual.Length]), MismatchMessage.Size([expected.Length])));
        var meter = new DistanceMeter(tolerance, format, equalNan);
        meter.Add(actual, expected);
        var d = meter.Result;
        if (d.Mismatched == 0) return;
        throw new TensorMismatchException(MismatchMessage.Values(name, d, [actual.Length], tolerance, format, source), d);
    }

    // As assert_close, the comparison runs in float64 (integers too: exact up to 2^53).
    static double[] Values(Tensor t)
    {
        using var scope = NewDisposeScope();
        using var _ = no_grad();
        return t.detach().cpu().to_type(ScalarType.Float64).contiguous().data<double>().ToArray();
    }

    static double[] Widen(ReadOnlySpan<float> values)
    {
        var wide = new double[values.Length];
        for (int i = 0; i < values.Length; i++) wide[i] = values[i];
        return wide;
    }
}
