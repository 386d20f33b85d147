using CnnParity.Core;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// The doctor's interim bound on |LibTorch − truth| per element, until the triage's bounds (issue 19) replace it. The
/// inputs and weights are float32 values promoted exactly, so both sides compute the same real number, each with its
/// own rounding:
/// <list type="bullet">
/// <item>a sum of n products (convolution, linear, their gradients, average pooling: n-term sums): for ANY summation
/// order, blocking or FMA, |fl(Σ) − Σ| ≤ γ_n·Σ|terms| with γ_n = n·u/(1 − n·u) (Higham, Accuracy and Stability of
/// Numerical Algorithms, §3.1), u = 2^-24 in float32 and 2^-53 in float64; the bias add is one more term. So
/// |torch − truth| ≤ (γ_n(u_torch) + γ_n(u_f64))·Σ|terms|, Σ|terms| computed in float64 by the engine's layer run on
/// |x|, |w|, |b| (<see cref="SumFactor"/>);</item>
/// <item>max pooling and relu select a value: exact (bound 0);</item>
/// <item>tanh, sigmoid, exp, log: a few ULPs relative (<see cref="TranscendentalUlps"/>) plus a tiny absolute floor
/// (the dtype's smallest normal); their backward formulas and log-softmax carry the error of the value they start
/// from (each case's magnitude says how, in <see cref="CaseTruth"/>).</item>
/// </list>
/// The bound is a worst case: a right kernel stays below it (its ratio |torch − truth| / bound is close to 1 only for
/// sums of one or two terms, a correctly rounded product being half an ULP off, and far below 1 for long sums, whose
/// errors cancel), a wrong one is far above (the
/// whole-input convolution of issue 20 is off by 3.7 on outputs near 4: a ratio in the thousands). It does not hold for
/// transform algorithms (Winograd, FFT), whose errors are not those of a sum; LibTorch's CPU convolutions do not use them
/// by default.
/// </summary>
public static class RoundingBound
{
    /// <summary>u of float32 (2^-24) and of float64 (2^-53).</summary>
    public const double Float32UnitRoundoff = 5.9604644775390625e-8, Float64UnitRoundoff = 1.1102230246251565e-16;

    /// <summary>ULPs allowed to an elementwise transcendental function (LibTorch's are within 1 to 3.5; glibc's and NumPy's within 1).</summary>
    public const int TranscendentalUlps = 8;

    /// <summary>u of <paramref name="dtype"/>.</summary>
    public static double UnitRoundoff(Dtype dtype) => dtype == Dtype.Float32 ? Float32UnitRoundoff : Float64UnitRoundoff;

    /// <summary>γ_n = n·u / (1 − n·u): the relative worst case of n roundings (infinite once n·u ≥ 1).</summary>
    public static double Gamma(long n, double u) => n * u < 1 ? n * u / (1 - n * u) : double.PositiveInfinity;

    /// <summary>γ_n of LibTorch's dtype plus γ_n of the float64 truth: multiply by Σ|terms| for the bound of an n-term sum.</summary>
    public static double SumFactor(long n, Dtype dtype) => Gamma(n, UnitRoundoff(dtype)) + Gamma(n, Float64UnitRoundoff);

    /// <summary><see cref="TranscendentalUlps"/> in LibTorch's dtype and in float64: multiply by the magnitude.</summary>
    public static double UlpFactor(Dtype dtype, int ulps = TranscendentalUlps) => ulps * (UnitRoundoff(dtype) + Float64UnitRoundoff);

    /// <summary>The absolute floor under a relative bound: the dtype's smallest normal number.</summary>
    public static double Floor(Dtype dtype) => dtype == Dtype.Float32 ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
}
