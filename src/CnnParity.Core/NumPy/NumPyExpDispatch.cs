using System.Runtime.Intrinsics.X86;

namespace CnnParity.Core.NumPy;

/// <summary>Which <c>np.exp</c> a run mirrors, and why: detected from this CPU as NumPy detects it, or forced.</summary>
/// <param name="Forced">true when the user chose the kernel (<c>--numpy-exp</c>), false when it was detected</param>
/// <param name="Reason">one line for the reports: what decided the kernel</param>
public sealed record NumPyExpChoice(NumPyExpKernel Kernel, bool Forced, string Reason)
{
    /// <summary>The kernel's option value: "svml" or "libm".</summary>
    public string Name => NumPyExpDispatch.Name(Kernel);

    /// <summary>What the kernel is, for a reader: "Intel SVML's __svml_exp8" or "glibc's exp".</summary>
    public string Description => NumPyExpDispatch.Describe(Kernel);
}

/// <summary>
/// NumPy 1.24's choice of float64 <c>np.exp</c> on this CPU, mirrored. NumPy reads the CPU (CPUID) at import and, for
/// float64 exp, runs Intel SVML's <c>__svml_exp8</c> where it finds its <c>AVX512_SKX</c> feature group (AVX512F, CD,
/// BW, DQ and VL: Skylake-SP and later Xeons, AMD Zen 4 and later) and glibc's scalar <c>exp</c> on a CPU without
/// AVX-512. The two differ in the last bit or two on about a quarter of all inputs, so a run that mirrors the wrong one
/// loses bit-for-bit equality with NumPy on that machine.
/// <para>
/// The CPU is read the way NumPy reads it, with CPUID (not through .NET's <c>Avx512F.IsSupported</c>, which a
/// <c>DOTNET_EnableAVX512</c> setting can turn off while NumPy still runs SVML). Not mirrored: NumPy's
/// <c>NPY_DISABLE_CPU_FEATURES</c> (pass <c>--numpy-exp</c> instead), and the Xeon Phi case of AVX512F without the rest of
/// AVX512_SKX, where NumPy runs an AVX512F exp of its own that is not ported here (glibc's is then used and the reason
/// says so).
/// </para>
/// </summary>
public static class NumPyExpDispatch
{
    /// <summary>The option values, in the order the help lists them.</summary>
    public static readonly IReadOnlyList<string> Names = ["svml", "libm"];

    /// <summary>Whether this CPU has NumPy's AVX512_SKX group (AVX512F, CD, BW, DQ, VL) and the OS saves its registers.</summary>
    public static bool HasAvx512Skx { get; } = ReadAvx512(out bool skx, out _) && skx;

    /// <summary>Whether the CPU has AVX512F at all (with or without the rest of AVX512_SKX).</summary>
    public static bool HasAvx512F { get; } = ReadAvx512(out _, out bool f) && f;

    /// <summary>What NumPy 1.24 picks on this CPU.</summary>
    public static NumPyExpChoice Detected { get; } = HasAvx512Skx
        ? new(NumPyExpKernel.Svml, false, "detected: this CPU has AVX512_SKX (AVX512F+CD+BW+DQ+VL), where NumPy 1.24 runs SVML's exp")
        : HasAvx512F
            ? new(NumPyExpKernel.Libm, false, "detected: this CPU has AVX512F without the rest of AVX512_SKX, where NumPy 1.24 runs an " +
                                              "AVX512F exp of its own that is not ported; glibc's exp is the nearest")
            : new(NumPyExpKernel.Libm, false, "detected: this CPU has no AVX512_SKX, where NumPy 1.24 runs glibc's exp");

    /// <summary>The kernel a user asked for by name ("svml" or "libm").</summary>
    public static NumPyExpChoice Forced(string name)
    {
        NumPyExpKernel kernel = name switch
        {
            "svml" => NumPyExpKernel.Svml,
            "libm" => NumPyExpKernel.Libm,
            _ => throw new CnnParityException($"--numpy-exp must be one of {string.Join(", ", Names)}, got '{name}'"),
        };
        return new(kernel, true, $"forced: --numpy-exp {name} (this CPU would give {Detected.Name})");
    }

    /// <summary>The option value of a kernel.</summary>
    public static string Name(NumPyExpKernel kernel) => kernel == NumPyExpKernel.Svml ? "svml" : "libm";

    /// <summary>What a kernel is, for a reader.</summary>
    public static string Describe(NumPyExpKernel kernel) =>
        kernel == NumPyExpKernel.Svml ? "Intel SVML's __svml_exp8" : "glibc's exp";

    // CPUID leaf 7 (EBX: AVX512F bit 16, DQ 17, CD 28, BW 30, VL 31) and leaf 1 (ECX bit 27: the OS uses XSAVE, so it
    // can hold the wider registers). Not an x86 CPU: no AVX-512.
    private static bool ReadAvx512(out bool skx, out bool f)
    {
        skx = f = false;
        if (!X86Base.IsSupported)
        {
            return false;
        }
        bool osSaves = (X86Base.CpuId(1, 0).Ecx & (1 << 27)) != 0;
        if (!osSaves || X86Base.CpuId(0, 0).Eax < 7)
        {
            return false;
        }
        uint ebx = (uint)X86Base.CpuId(7, 0).Ebx;
        static bool Bit(uint value, int bit) => (value & (1u << bit)) != 0;
        f = Bit(ebx, 16);
        skx = f && Bit(ebx, 17) && Bit(ebx, 28) && Bit(ebx, 30) && Bit(ebx, 31);
        return true;
    }
}
