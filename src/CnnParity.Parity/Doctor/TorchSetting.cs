namespace CnnParity.Parity.Doctor;

/// <summary>
/// What a worker's LibTorch runs under: oneDNN's instruction set cap (<c>DNNL_MAX_CPU_ISA</c>, read once as oneDNN
/// starts, so it is set in the worker's environment) and LibTorch's intra-op threads (torch.set_num_threads).
/// </summary>
/// <param name="Isa">SSE41, AVX2, AVX512_CORE...; null: no cap (oneDNN picks the best this CPU has)</param>
/// <param name="Threads">1, or 0 for LibTorch's default (every core)</param>
public sealed record TorchSetting(string? Isa, int Threads)
{
    /// <summary>The environment variable oneDNN reads.</summary>
    public const string IsaVariable = "DNNL_MAX_CPU_ISA";

    /// <summary>
    /// The settings <c>doctor --isa</c> tries on the failing cases, cheapest first: oneDNN's best instructions before a
    /// cap, a higher cap before a lower one, every core before one. The first under which every case is right is the
    /// recommended setting.
    /// </summary>
    public static IReadOnlyList<TorchSetting> IsaTrials { get; } =
        [.. new string?[] { null, "AVX512_CORE", "AVX2", "SSE41" }.SelectMany(isa => new[] { new TorchSetting(isa, 0), new TorchSetting(isa, 1) })];

    /// <summary>"DNNL_MAX_CPU_ISA=AVX2, 1 thread", "no ISA cap, all threads".</summary>
    public override string ToString() =>
        $"{(Isa is null ? "no ISA cap" : $"{IsaVariable}={Isa}")}, {(Threads == 0 ? "all threads" : Threads == 1 ? "1 thread" : $"{Threads} threads")}";
}
