using System.Text.Json;
using CnnParity.Core.Tests.Data;
using CnnParity.Parity.Doctor;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// Runs survive the backend they check (issue 20): a native crash of LibTorch, injected (<see cref="FaultInjection"/>),
/// becomes the run's FAIL section, its report is written, the exit is 1 and never 128 + a signal. Found by the
/// pre-flight probe (which names the op and tries the ISA caps on it) or, past the probe, by the supervising parent
/// (which names the phase).
/// </summary>
public sealed class BackendCrashTests : IDisposable
{
    const string Spec = "conv(c=2,k=3) relu flatten dense(10)";

    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    static Dictionary<string, string?> Fault(string fault) => new() { [FaultInjection.Variable] = fault, [TorchSetting.IsaVariable] = null };

    [SkippableFact]
    public void ParityWhoseProbeCrashesWritesItsFailWithTheOpAndTheSettingThatSparesIt()
    {
        const string op = "conv2d f32 weight-grad 32x1x28x28 conv(c=2,k=3)";
        string json = Path.Combine(work.Path, "arch.json");

        var result = CliProcess.Run(work.Path, Fault($"sigfpe-unless-SSE41:{op}"), "parity", "--data", RealMnist.Require(), "--arch", Spec,
            "--train", "64", "--batch", "32", "--test", "100", "--epochs", "1", "--json", json);

        Assert.True(result.ExitCode == 1, result.ToString());
        CliAssert.NoStackTrace(result);
        Assert.Contains($"FAIL: {json}", result.StdOut);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("FAIL", doc.RootElement.GetProperty("verdict").GetString());
        var backend = doc.RootElement.GetProperty("backend");
        Assert.Equal("the pre-flight probe", backend.GetProperty("phase").GetString());
        Assert.Equal(op, backend.GetProperty("op").GetString());
        Assert.Equal(8, backend.GetProperty("signal").GetInt32());
        Assert.StartsWith("LibTorch runs it with DNNL_MAX_CPU_ISA=SSE41 (right at 1 thread and at all threads)", backend.GetProperty("hint").GetString());
        string said = Assert.Single(result.ErrorLines, l => l.StartsWith("cnnparity: ", StringComparison.Ordinal));
        Assert.Contains($"LibTorch crashed with SIGFPE (8) during the pre-flight probe, in {op}", said);
    }

    /// <summary>ch10 is a spec with options, checked by the same code path: its probe holds its own shapes, and its crash is the parity file's.</summary>
    [SkippableFact]
    public void ParityOfChapter10WhoseProbeCrashesWritesTheParityFileWithTheOp()
    {
        const string op = "conv2d f32 weight-grad 32x1x28x28 conv(c=4,k=3,bias=false)";
        string json = Path.Combine(work.Path, "ch10.json");

        var result = CliProcess.Run(work.Path, Fault($"sigfpe:{op}"), "parity", "--data", RealMnist.Require(),
            "--train", "64", "--batch", "32", "--test", "100", "--epochs", "1", "--json", json);

        Assert.True(result.ExitCode == 1, result.ToString());
        CliAssert.NoStackTrace(result);
        using var doc = JsonDocument.Parse(File.ReadAllText(json));
        Assert.Equal("cnnparity-spec-parity", doc.RootElement.GetProperty("kind").GetString());
        Assert.Equal("FAIL", doc.RootElement.GetProperty("verdict").GetString());
        Assert.Equal(op, doc.RootElement.GetProperty("backend").GetProperty("op").GetString());
        Assert.Empty(doc.RootElement.GetProperty("specs").EnumerateArray());
    }

    [SkippableFact]
    public void AReportWhoseRunDiesPastTheProbeIsWrittenByItsParentWithThePhase()
    {
        string outDir = Path.Combine(work.Path, "report");

        var result = CliProcess.Run(work.Path, Fault("sigsegv:phase=loading the data"), RealMnist.TinyReport(outDir, "--arch", Spec));

        Assert.True(result.ExitCode == 1, result.ToString());
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "parity-report.json")));
        Assert.Equal("FAIL", doc.RootElement.GetProperty("verdict").GetString());
        var backend = doc.RootElement.GetProperty("backend");
        Assert.Equal("loading the data", backend.GetProperty("phase").GetString());
        Assert.Equal(JsonValueKind.Null, backend.GetProperty("op").ValueKind);
        Assert.Equal("SIGSEGV", backend.GetProperty("signalName").GetString());
        Assert.Equal(11, backend.GetProperty("signal").GetInt32());
        string markdown = File.ReadAllText(Path.Combine(outDir, "parity-report.md"));
        Assert.StartsWith("# FAIL: CnnParity parity report", markdown);
        Assert.Contains("## FAIL: LibTorch crashed", markdown);
        Assert.True(File.Exists(Path.Combine(outDir, "parity-report.html")));
    }

    [SkippableFact]
    public void OnnxCheckWhoseTwinDiesPastTheProbeSaysFailWithThePhase()
    {
        string data = RealMnist.Require();
        Assert.Equal(0, CliProcess.Run(work.Path, "export", "--arch", "lenet5", "--onnx", "m.onnx", "--seed", "3").ExitCode);

        var result = CliProcess.Run(work.Path, Fault("sigfpe:phase=scoring"), "onnx-check", "m.onnx", "--arch", "lenet5", "--test", "100", "--data", data);

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal(["FAIL", "  LibTorch crashed with SIGFPE (8) during scoring m.onnx; the TorchSharp side has no results. " +
            "`cnnparity doctor --arch \"lenet5\" --isa` finds which op, and a setting under which LibTorch runs it."], result.OutputLines);
    }

    [SkippableFact]
    public void BenchWhoseProbeAbortsSaysFailAndExitsOne()
    {
        var result = CliProcess.Run(work.Path, Fault("abort:conv2d f64 forward"), "bench", "--data", RealMnist.Require(), "--arch", Spec,
            "--train", "64", "--batch", "32", "--test", "100", "--reps", "1");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Equal("FAIL", result.OutputLines[0]);
        Assert.Contains("LibTorch crashed with SIGABRT (6) during the pre-flight probe, in conv2d f64 forward ", result.OutputLines[1]);
    }
}
