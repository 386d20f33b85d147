using System.Runtime.Intrinsics;

namespace CnnParity.Core.NumPy.Simd;

/// <summary>
/// The vector width of the SIMD kernels (<see cref="SimdTanh"/> and the fast path). A width changes how many outputs
/// one instruction computes side by side, never what any one output is: every lane runs the same operations in the
/// same order at either width, so both widths give the faithful path's bits (the tests hold each width to them).
/// <para>
/// The kernels take the width as an argument rather than reading the CPU themselves, so that tests can run the 512-bit
/// code on any machine: without AVX-512, .NET runs <see cref="Vector512"/> in software, lane by lane with the same IEEE
/// operations (an FMA with <see cref="Math.FusedMultiplyAdd"/>), which checks the 512-bit code's order of operations
/// (which terms, in which lanes, in which order) where the hardware cannot run it. An argument, not a global switch,
/// so that tests running side by side never change each other's width.
/// </para>
/// </summary>
public enum VectorWidth
{
    /// <summary><see cref="Vector256"/>: four float64 lanes (AVX2).</summary>
    Bits256 = 256,

    /// <summary><see cref="Vector512"/>: eight float64 lanes (AVX-512).</summary>
    Bits512 = 512,
}

/// <summary>Which <see cref="VectorWidth"/> the kernels use on this machine.</summary>
public static class VectorWidths
{
    /// <summary>
    /// 512 where the JIT accelerates <see cref="Vector512"/> (it does not on CPUs without AVX-512, nor where .NET
    /// judges 512-bit vectors to slow the clock down), else 256.
    /// </summary>
    public static VectorWidth Native { get; } = Vector512.IsHardwareAccelerated ? VectorWidth.Bits512 : VectorWidth.Bits256;
}
