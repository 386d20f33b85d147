using TorchSharp;

namespace CnnParity.Torch;

/// <summary>Process-wide TorchSharp settings that results depend on, set in one place.</summary>
public static class TorchRuntime
{
    /// <summary>
    /// LibTorch's intra-op threads, whatever --threads says. The float32 convolution backward (oneDNN) splits
    /// its reduction over the batch by thread count, so the f32 kernel gradient changed in the last bits between
    /// 1, 2 and 4 threads; float64 (slow_conv2d) and the forward passes did not. One thread gives the same bits
    /// on any machine, and on this network (a 3x3 conv and one small dense layer) it was not slower than two.
    /// </summary>
    public const int IntraOpThreads = 1;

    /// <summary>
    /// Pins LibTorch's intra-op threads (the only parallelism these eager CPU kernels use) to
    /// <see cref="IntraOpThreads"/>, whatever --threads says: that drives the from-scratch code only.
    /// TorchSharp 0.107 does not implement use_deterministic_algorithms; the CPU kernels used here are
    /// deterministic for a fixed thread count. Returns what was pinned, for the report.
    /// </summary>
    public static string Pin()
    {
        torch.set_num_threads(IntraOpThreads);
        return $"torch.set_num_threads({IntraOpThreads}) for any --threads (float32 conv backward sums in a thread-count-dependent order); "
             + "--threads sets the from-scratch threads only, which split whole outputs, never a sum; "
             + "masks and initial weights from NumPyRandomState";
    }

    /// <summary>The LibTorch version TorchSharp-cpu ships (the package version of libtorch-cpu).</summary>
    public const string LibTorchVersion = "2.10.0";

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
