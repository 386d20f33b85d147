using TorchSharp;

namespace CnnParity.Testing;

/// <summary>
/// A named closeness criterion, elementwise <c>|actual − expected| ≤ Atol + Rtol·|expected|</c>, as
/// <see href="https://pytorch.org/docs/stable/testing.html">torch.testing.assert_close</see> and
/// <c>torch.isclose</c> define it: equal values (infinities included) are always close; NaN is close to NaN only
/// when asked for. Give each tolerance a name and say why it has its size, so a failure can be judged.
/// </summary>
/// <param name="Name">how reports and failure messages refer to it, e.g. <c>"forward-f64"</c></param>
/// <param name="Rtol">relative tolerance, scaled by |expected|</param>
/// <param name="Atol">absolute tolerance</param>
/// <param name="Why">the reason for its size, shown beside the name</param>
public sealed record Tolerance(string Name, double Rtol, double Atol, string Why)
{
    /// <summary>torch.testing.assert_close's float64 defaults: rtol 1e-7, atol 1e-7.</summary>
    public static readonly Tolerance Float64 = new("assert_close-f64", 1e-7, 1e-7,
        "torch.testing.assert_close defaults for float64");

    /// <summary>torch.testing.assert_close's float32 defaults: rtol 1.3e-6, atol 1e-5.</summary>
    public static readonly Tolerance Float32 = new("assert_close-f32", 1.3e-6, 1e-5,
        "torch.testing.assert_close defaults for float32");

    /// <summary>torch.testing.assert_close's float16 defaults: rtol 1e-3, atol 1e-5.</summary>
    public static readonly Tolerance Float16 = new("assert_close-f16", 1e-3, 1e-5,
        "torch.testing.assert_close defaults for float16");

    /// <summary>torch.testing.assert_close's bfloat16 defaults: rtol 1.6e-2, atol 1e-5.</summary>
    public static readonly Tolerance BFloat16 = new("assert_close-bf16", 1.6e-2, 1e-5,
        "torch.testing.assert_close defaults for bfloat16");

    /// <summary>Integers and booleans: assert_close compares them for equality.</summary>
    public static readonly Tolerance Exact = new("equal", 0, 0,
        "torch.testing.assert_close compares integers and booleans exactly");

    /// <summary>The tolerance torch.testing.assert_close applies to a dtype when none is given.</summary>
    public static Tolerance For(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float64 or torch.ScalarType.ComplexFloat64 => Float64,
        torch.ScalarType.Float32 or torch.ScalarType.ComplexFloat32 => Float32,
        torch.ScalarType.Float16 => Float16,
        torch.ScalarType.BFloat16 => BFloat16,
        _ => Exact,
    };

    /// <summary>rtol and atol of 0: the values must be equal (as PyTorch says, "not equal" rather than "not close").</summary>
    public bool IsEquality => Rtol == 0 && Atol == 0;

    /// <summary>Whether <paramref name="actual"/> is close enough to <paramref name="expected"/>.</summary>
    /// <param name="actual">the value under test</param>
    /// <param name="expected">the reference value; rtol scales with it</param>
    /// <param name="equalNan">NaN against NaN counts as close (torch's <c>equal_nan</c>)</param>
    public bool Accepts(double actual, double expected, bool equalNan = false)
    {
        if (actual == expected) return true;
        if (equalNan && double.IsNaN(actual) && double.IsNaN(expected)) return true;
        // As torch.isclose: a NaN or infinite difference is never within tolerance (inf <= inf would be).
        double difference = Math.Abs(actual - expected);
        return double.IsFinite(difference) && difference <= Atol + Rtol * Math.Abs(expected);
    }
}
