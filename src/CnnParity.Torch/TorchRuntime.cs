using TorchSharp;

namespace CnnParity.Torch;

/// <summary>Process-wide TorchSharp settings that results depend on, set in one place.</summary>
public static class TorchRuntime
{
    // A static constructor makes the first use of any member (Pin included) run the initialisers below first, so that
    // LibTorch's own default is read before anything here changes it.
    static TorchRuntime()
    {
    }

    /// <summary>
    /// LibTorch's intra-op thread count as it starts (its default: the cores it finds, or $OMP_NUM_THREADS), read before
    /// <see cref="Pin"/> or anything else here changes it.
    /// </summary>
    public static int DefaultIntraOpThreads { get; } = torch.get_num_threads();

    /// <summary>
    /// LibTorch's intra-op threads for the parity checks, whatever --threads says. The float32 convolution backward
    /// (oneDNN) splits its reduction over the batch by thread count, so the f32 kernel gradient changes in the last bits
    /// with the thread count; float64 (slow_conv2d) and the forward passes do not. One thread gives the same bits on any
    /// machine. Speed is another matter: the speed comparisons also time TorchSharp at every core (<see cref="SpeedThreadCounts"/>).
    /// </summary>
    public const int IntraOpThreads = 1;

    /// <summary>
    /// Pins LibTorch's intra-op threads (the only parallelism these eager CPU kernels use) to
    /// <see cref="IntraOpThreads"/>, whatever --threads says: that drives the from-scratch code only.
    /// TorchSharp 0.107 does not implement use_deterministic_algorithms; the CPU kernels used here are
    /// deterministic for a fixed thread count. Returns what was pinned, for the report. The speed measurements
    /// leave the pin for their timing (see <see cref="SpeedThreadCounts"/>) and call this again when they are done.
    /// </summary>
    public static string Pin()
    {
        torch.set_num_threads(IntraOpThreads);
        return $"torch.set_num_threads({IntraOpThreads}) for any --threads (float32 conv backward sums in a thread-count-dependent order); "
             + "--threads sets the from-scratch threads only, which split whole outputs, never a sum; "
             + "masks and initial weights from NumPyRandomState";
    }

    /// <summary>
    /// The LibTorch thread counts the speed comparisons time TorchSharp at: one (the parity checks' pin) and LibTorch's own
    /// default (<see cref="DefaultIntraOpThreads"/>: every core), so that the from-scratch path is held against TorchSharp
    /// at its best, whichever that is on the machine. One count only where the default is one thread.
    /// </summary>
    public static IReadOnlyList<int> SpeedThreadCounts { get; } = DefaultIntraOpThreads > 1 ? [1, DefaultIntraOpThreads] : [1];

    /// <summary>The LibTorch version TorchSharp-cpu ships (the package version of libtorch-cpu).</summary>
    public const string LibTorchVersion = "2.10.0";

    public static string TorchSharpVersion =>
        typeof(torch).Assembly.GetName().Version?.ToString(3) ?? "unknown";
}
