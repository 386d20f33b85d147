using CnnParity.Core;
using CnnParity.Core.Engines.Reference;

namespace CnnParity.Parity.Triage;

/// <summary>
/// How far a correct implementation may land from the float64 truth: per element, <see cref="Factor"/> standard deviations
/// of the rounding error the float64 reference carries (<see cref="Carried"/>: every sum's rounding in Higham and Mary's
/// probabilistic model, carried from layer to layer forward and backward), at the dtype's unit roundoff u.
/// <para>
/// Why 8: the carried σ already overestimates a rounding's real spread 1.7 to 3.5 times (it takes each rounding's variance
/// as u², its largest square), so a correct float32 result lies within 8σ with room to spare even over the tens of millions
/// of elements of a test-set pass, where the largest of that many Gaussian deviates is about 6 real standard deviations,
/// that is 2 to 3.5 carried ones; measured on the engine and the twin in float32, the largest is 2 to 4 carried σ. Yet σ
/// is 1e-7 to 1e-5 of a value, so a fault of 1e-3 relative in any layer stands more than ten bounds out.
/// </para>
/// </summary>
public static class RoundingBound
{
    /// <summary>Standard deviations of carried rounding a correct implementation may be off by.</summary>
    public const double Factor = 8;

    /// <summary>The unit roundoff of <paramref name="dtype"/>: 2⁻²⁴ for float32, 2⁻⁵³ for float64.</summary>
    public static double UnitRoundoff(Dtype dtype) => dtype == Dtype.Float32 ? Math.ScaleB(1, -24) : Math.ScaleB(1, -53);

    /// <summary>
    /// The bound of element <paramref name="i"/> of <paramref name="truth"/> for a result computed in <paramref name="dtype"/>:
    /// <see cref="Factor"/>·u·σ, plus the float64 truth's own last bits (a few float64 ULP of the value).
    /// </summary>
    public static double Of(Carried truth, int i, Dtype dtype) =>
        Factor * UnitRoundoff(dtype) * Math.Sqrt(truth.Variance[i]) + 4 * double.Epsilon + 8 * Math.ScaleB(1, -53) * Math.Abs(truth.Value[i]);

    /// <summary>How a check names the bound.</summary>
    public const string Name = "rounding bound";

    /// <summary>How the reports describe the bound.</summary>
    public const string Description =
        "8σ of the float32 rounding the float64 reference carries layer by layer (Higham–Mary: every sum's partial sums, " +
        "every product and library function; σ overestimates real rounding 1.7–3.5×), so a correct float32 result is inside " +
        "with room to spare while a 1e-3 relative fault in any layer is far outside";
}
