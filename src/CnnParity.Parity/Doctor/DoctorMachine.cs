using System.Runtime.InteropServices;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// The machine the doctor examined, as far as its answers can depend on it: the CPU and its flags (which instruction
/// sets oneDNN may pick), what the OS reports of its caches (oneDNN sizes its blocks by them; a VM may report none),
/// whether NNPACK initialises, and the versions of everything involved.
/// </summary>
/// <param name="Caches">"L1d 48 KiB", "L2 2048 KiB"...; empty when the OS reports none</param>
/// <param name="Nnpack">whether LibTorch's NNPACK initialises here; null when LibTorch could not be asked</param>
/// <param name="DnnlMaxCpuIsa">DNNL_MAX_CPU_ISA as the doctor found it set, if it was</param>
public sealed record DoctorMachine(
    string Cpu, IReadOnlyList<string> Flags, IReadOnlyList<string> Caches, int LogicalCores, string Os, string DotNet,
    string CnnParity, string TorchSharp, string LibTorch, bool? Nnpack, string? DnnlMaxCpuIsa)
{
    /// <summary>
    /// The facts this process can read without loading LibTorch (NNPACK comes from a worker: LibTorch is asked there).
    /// </summary>
    public static DoctorMachine Read(string cnnParityVersion, bool? nnpack) => new(
        CpuInfo("model name") ?? RuntimeInformation.ProcessArchitecture.ToString(),
        [.. (CpuInfo("flags") ?? CpuInfo("Features") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries)],
        ReadCaches(), Environment.ProcessorCount, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
        cnnParityVersion, typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(3) ?? "unknown", Torch.TorchRuntime.LibTorchVersion, nnpack,
        Environment.GetEnvironmentVariable(TorchSetting.IsaVariable));

    /// <summary>The instruction-set flags oneDNN chooses between, of those this CPU has (avx2, avx512f, avx512_bf16...).</summary>
    public IEnumerable<string> VectorFlags => Flags.Where(f => f.StartsWith("avx", StringComparison.Ordinal) || f.StartsWith("sse4", StringComparison.Ordinal) || f is "fma" or "amx_tile");

    static string? CpuInfo(string key)
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (!File.Exists(cpuinfo))
            return null;
        foreach (string line in File.ReadLines(cpuinfo))
        {
            int colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim() == key)
                return line[(colon + 1)..].Trim();
        }
        return null;
    }

    // What lscpu reads: /sys/devices/system/cpu/cpu0/cache/index*/{level,type,size}.
    static List<string> ReadCaches()
    {
        const string folder = "/sys/devices/system/cpu/cpu0/cache";
        var caches = new List<string>();
        if (!Directory.Exists(folder))
            return caches;
        foreach (string index in Directory.GetDirectories(folder, "index*").Order(StringComparer.Ordinal))
        {
            string? Read(string name) => File.Exists(Path.Combine(index, name)) ? File.ReadAllText(Path.Combine(index, name)).Trim() : null;
            string? level = Read("level"), type = Read("type"), size = Read("size");
            if (level is null || size is null || size.Length == 0)
                continue;
            string kind = type switch { "Data" => "d", "Instruction" => "i", _ => "" };
            caches.Add($"L{level}{kind} {size.Replace("K", " KiB", StringComparison.Ordinal)}");
        }
        return caches;
    }
}
