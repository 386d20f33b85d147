using System.Globalization;
using System.Text;
using TorchSharp;

namespace CnnParity.Testing;

/// <summary>
/// The failure message of <see cref="TensorAssert"/>: PyTorch 1.13's torch.testing.assert_close text first, line
/// for line (so a user who knows PyTorch reads it at once), then what PyTorch does not say — the ULP distance,
/// the two values at the worst element, and which tolerance applied and how to change it.
/// </summary>
internal static class MismatchMessage
{
    public enum ToleranceSource { Default, Given, Named }

    /// <param name="name">what the tensors are, or null</param>
    /// <param name="d">the distance, measured against <paramref name="tolerance"/></param>
    /// <param name="tolerance">what was allowed</param>
    /// <param name="shape">the compared shape; empty for a 0-d tensor (PyTorch then speaks of "Scalars")</param>
    /// <param name="dtype">the compared dtype: ULPs are counted in a floating one; integers print as PyTorch prints them</param>
    /// <param name="source">where the tolerance came from, which decides how the last line names it</param>
    public static string Values(string? name, TensorDistance d, IReadOnlyList<long> shape, Tolerance tolerance,
        torch.ScalarType dtype, ToleranceSource source)
    {
        var abs = d.GreatestAbsoluteMismatch!;
        var rel = d.GreatestRelativeMismatch!;
        bool scalar = shape.Count == 0;
        bool integral = !torch.is_floating_point(dtype) && !torch.is_complex(dtype);
        var sb = new StringBuilder();
        sb.Append(name is null ? "" : name + ": ")
          .Append(scalar ? "Scalars" : "Tensor-likes")
          .Append(tolerance.IsEquality ? " are not equal!" : " are not close!").Append("\n\n");
        if (!scalar)
            sb.Append(CultureInfo.InvariantCulture, $"Mismatched elements: {d.Mismatched} / {d.Count} ({Percent(d.Mismatched, d.Count)})\n");
        // PyTorch subtracts integers as int64 and divides them in float32 (its default dtype).
        Difference(sb, "absolute", integral ? Integer(abs.AbsoluteDifference) : PythonRepr.Float(abs.AbsoluteDifference), abs.Index, tolerance.Atol);
        Difference(sb, "relative", PythonRepr.Float(integral ? (float)rel.AbsoluteDifference / (float)Math.Abs(rel.Expected) : rel.RelativeDifference),
            rel.Index, tolerance.Rtol);
        if (!integral && d.GreatestUlpMismatch is { } ulp)
            sb.Append(scalar ? "ULP distance: " : "Greatest ULP distance: ").Append(ulp.Ulp.ToString(CultureInfo.InvariantCulture))
              .Append(scalar ? "" : " at index " + Index(ulp.Index)).Append(" (in ").Append(DTypeName(dtype)).Append(")\n");
        sb.Append(scalar ? "Values" : $"At index {Index(abs.Index)}")
          .Append(": actual ").Append(Value(abs.Actual)).Append(", expected ").Append(Value(abs.Expected)).Append('\n');
        string limits = $"rtol {PythonRepr.Float(tolerance.Rtol)}, atol {PythonRepr.Float(tolerance.Atol)}";
        sb.Append(source switch
        {
            ToleranceSource.Default => $"Tolerance: {tolerance.Why} ({limits}). " +
                                       "If the difference is expected, pass rtol and atol (or a named Tolerance) and say why.",
            ToleranceSource.Given => $"Tolerance: {limits}, as given.",
            _ => $"Tolerance '{tolerance.Name}' ({limits}): {tolerance.Why}.",
        });
        return sb.ToString();

        void Difference(StringBuilder s, string kind, string value, long index, double allowed)
        {
            s.Append(scalar ? char.ToUpperInvariant(kind[0]) + kind[1..] + " difference: " : $"Greatest {kind} difference: ")
             .Append(value);
            if (!scalar) s.Append(" at index ").Append(Index(index));
            if (!tolerance.IsEquality) s.Append(" (up to ").Append(PythonRepr.Float(allowed)).Append(" allowed)");
            s.Append('\n');
        }

        string Index(long flat) => PythonRepr.Tuple(PythonRepr.Unravel(flat, shape));
        string Value(double x) => integral ? Integer(x) : PythonRepr.Float(x);
        static string Integer(double x) => ((long)x).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>PyTorch's "The values for attribute 'shape' do not match: torch.Size([3]) != torch.Size([2])."</summary>
    public static string Attribute(string? name, string attribute, string actual, string expected) =>
        (name is null ? "" : name + ": ") + $"The values for attribute '{attribute}' do not match: {actual} != {expected}.";

    public static string Size(IReadOnlyList<long> shape) => "torch.Size([" + string.Join(", ", shape) + "])";

    /// <summary>The dtype as PyTorch prints it: float32, bfloat16, uint8, complex64, ...</summary>
    public static string DTypeName(torch.ScalarType dtype) => dtype switch
    {
        torch.ScalarType.Float64 => "float64",
        torch.ScalarType.Float32 => "float32",
        torch.ScalarType.Float16 => "float16",
        torch.ScalarType.BFloat16 => "bfloat16",
        torch.ScalarType.Int64 => "int64",
        torch.ScalarType.Int32 => "int32",
        torch.ScalarType.Int16 => "int16",
        torch.ScalarType.Int8 => "int8",
        torch.ScalarType.Byte => "uint8",
        torch.ScalarType.Bool => "bool",
        torch.ScalarType.ComplexFloat32 => "complex64",
        torch.ScalarType.ComplexFloat64 => "complex128",
        _ => dtype.ToString(),
    };

    // Python's f"{x:.1%}".
    static string Percent(long part, long whole) =>
        ((double)part / whole * 100).ToString("F1", CultureInfo.InvariantCulture) + "%";
}
