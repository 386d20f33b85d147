using TorchSharp;

namespace CnnParity.Torch;

/// <summary>Process-wide TorchSharp settings that results depend on, set in one place.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// Pins intra-op threads (the only parallelism these CPU kernels use). TorchSharp 0.107 does not
    /// implement use_deterministic_algorithms; the CPU kernels used here are deterministic for a fixed
    /// thread count. Returns what was pinned, for the report.
    /// </summary>
    public static string Pin(int threads)
    {
        if (threads <= 0) throw new ArgumentOutOfRangeException(nameof(threads));
        torch.set_num_threads(threads);
        return $"torch.set_num_threads({threads}); masks and initial weights from NumPyRandomState";
    }

    /// <summary>The LibTorch version TorchSharp-cpu ships (the package version of libtorch-cpu).</summary>
    public const string LibTorchVersion = "2.10.0";

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
