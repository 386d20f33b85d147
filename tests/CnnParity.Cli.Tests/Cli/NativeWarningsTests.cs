using CnnParity.Cli.Native;
using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// LibTorch's native warnings (written by C++ to descriptor 2) reach the user once each, with a count at exit
/// (src/CnnParity.Cli/Native/NativeStderr.cs). The noise is injected: native code (libc's write) prints LibTorch's
/// NNPACK line N times, as LibTorch does on a machine it does not support, so these tests hold on any machine.
/// </summary>
public sealed class NativeWarningsTests : IDisposable
{
    const string Nnpack = "[W1206 19:01:02.123456789 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.";

    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    static Dictionary<string, string?> Noise(int times) => new() { [NativeStderr.TestNoiseVariable] = times.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    [Fact]
    public void ARepeatedWarningIsShownOnceAndCountedAtExit()
    {
        var quiet = CliProcess.Run(work.Path, "arch", "lenet5");
        var noisy = CliProcess.Run(work.Path, Noise(300), "arch", "lenet5");

        Assert.True(noisy.ExitCode == 0, noisy.ToString());
        Assert.Equal(quiet.StdOut, noisy.StdOut);
        Assert.Equal([Nnpack, "cnnparity: LibTorch warned 300 times: \"Could not initialize NNPACK! Reason: Unsupported hardware.\" (shown once)"],
            noisy.AllErrorLines);
        Assert.Empty(noisy.ErrorLines);
    }

    [Fact]
    public void AFullPipeBlocksNothingAndCnnParitysOwnLineIsKept()
    {
        // 200,000 lines (20 MB) are far more than a pipe holds: LibTorch must never wait on the reader, nor CnnParity on LibTorch.
        var result = CliProcess.Run(work.Path, Noise(200_000), "arch", "conv(c=4,k=3) nosuch flatten dense(10)");

        CliAssert.OneLineError(result, 2, "unknown layer 'nosuch'");
        Assert.Single(result.AllErrorLines, l => l == Nnpack);
        Assert.Contains("cnnparity: LibTorch warned 200000 times: \"Could not initialize NNPACK! Reason: Unsupported hardware.\" (shown once)", result.AllErrorLines);
    }

    [Theory]
    [InlineData("[W1206 19:01:02.123456789 NNPACK.cpp:56] Could not initialize NNPACK! Reason: Unsupported hardware.", true)]
    [InlineData("[W NNPACK.cpp:53] Could not initialize NNPACK! Reason: Unsupported hardware.", true)]
    [InlineData("cnnparity: LibTorch warned 3 times: \"x\" (shown once)", true)]
    [InlineData("cnnparity: no mnist data found", false)]
    [InlineData("  timing the epochs: 1/10", false)]
    [InlineData("[1/3] something else", false)]
    public void LibTorchsLinesAreToldFromCnnParitys(string line, bool libTorch) =>
        Assert.Equal(libTorch, NativeStderr.IsLibTorchLine(line));
}
