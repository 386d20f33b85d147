using System.Text.RegularExpressions;

namespace CnnParity.Torch.Native;

/// <summary>
/// One line of LibTorch's own log, as c10's logger (c10/util/Logging.cpp, used by LOG(WARNING) and TORCH_WARN) writes
/// it to file descriptor 2: <c>[W1206 19:01:02.123456789 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported
/// hardware.</c>, or without the time in older builds (<c>[W NNPACK.cpp:53] ...</c>). The severity letter is I, W, E or
/// F; <see cref="Key"/> leaves the time out, so the same warning repeated is one key.
/// </summary>
public sealed partial record LibTorchLogLine(char Severity, string Where, string Message)
{
    /// <summary>Where and what, without the time: the same warning printed twice has the same key.</summary>
    public string Key => $"{Where}] {Message}";

    /// <summary>An information or a warning, which repeats: counted and shown once; errors are always shown.</summary>
    public bool Repeats => Severity is 'I' or 'W';

    /// <summary>The line parsed, or null when it is not a line of LibTorch's log.</summary>
    public static LibTorchLogLine? Parse(string line)
    {
        var match = Pattern().Match(line);
        return match.Success ? new(match.Groups["severity"].Value[0], match.Groups["where"].Value, match.Groups["message"].Value) : null;
    }

    [GeneratedRegex(@"^\[(?<severity>[IWEF])(\d{4} \d{2}:\d{2}:\d{2}\.\d+)? +(?<where>[^\]\s]+:\d+)\] (?<message>.*)$")]
    private static partial Regex Pattern();
}
