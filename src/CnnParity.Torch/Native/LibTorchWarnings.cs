namespace CnnParity.Torch.Native;

/// <summary>
/// The distinct warnings LibTorch printed in this process, each with how many times, in the order first seen. The
/// command line fills it (it reads LibTorch's native stderr, see src/CnnParity.Cli/Native/NativeStderr.cs); a report
/// records it in its environment, so a warning shown once on the console is not lost from the record either.
/// </summary>
public static class LibTorchWarnings
{
    private static readonly Lock Gate = new();
    private static readonly List<string> Order = [];
    private static readonly Dictionary<string, (LibTorchLogLine Line, int Count)> Counts = [];

    /// <summary>Counts one line; true the first time its <see cref="LibTorchLogLine.Key"/> is seen.</summary>
    public static bool Record(LibTorchLogLine line)
    {
        lock (Gate)
        {
            bool first = !Counts.TryGetValue(line.Key, out var seen);
            if (first)
            {
                Order.Add(line.Key);
            }
            Counts[line.Key] = (first ? line : seen.Line, seen.Count + 1);
            return first;
        }
    }

    /// <summary>Each distinct warning so far with its count, first seen first.</summary>
    public static IReadOnlyList<(LibTorchLogLine Line, int Count)> Seen
    {
        get
        {
            lock (Gate)
            {
                return [.. Order.Select(key => Counts[key])];
            }
        }
    }

    /// <summary>"NNPACK.cpp:56: Could not initialize NNPACK! Reason: Unsupported hardware. (312 times)": how a report lists one.</summary>
    public static string Describe(LibTorchLogLine line, int count) =>
        $"{line.Where}: {line.Message}{(count > 1 ? $" ({count} times)" : "")}";
}
