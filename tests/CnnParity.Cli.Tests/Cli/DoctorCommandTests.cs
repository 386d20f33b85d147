using System.Text.Json;
using CnnParity.Core.Tests.Data;
using CnnParity.Parity.Doctor;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// `cnnparity doctor` against faults injected through <see cref="FaultInjection"/> (the machine's own LibTorch may be
/// right, or wrong in other places: every assertion is about the injected faults): a worker that dies on SIGFPE or
/// abort() has its case recorded with the signal and the sweep goes on; a perturbed LibTorch op is reported wrong and
/// blamed; --isa finds the cap that spares the op; the parent process always survives (exit 1, never 128 + a signal).
/// </summary>
public sealed class DoctorCommandTests : IDisposable
{
    const string Spec = "conv(c=2,k=3) relu flatten dense(10)";

    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    (CliResult Result, JsonElement Report) Doctor(string fault, params string[] more)
    {
        string outDir = Path.Combine(work.Path, "doctor");
        var result = CliProcess.Run(work.Path, new Dictionary<string, string?> { [FaultInjection.Variable] = fault, [TorchSetting.IsaVariable] = null },
            ["doctor", "--arch", Spec, "--batch", "4", "--out", outDir, .. more]);
        Assert.True(File.Exists(Path.Combine(outDir, "doctor-report.md")) && File.Exists(Path.Combine(outDir, "doctor-report.html")), result.ToString());
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(outDir, "doctor-report.json")));
        return (result, json.RootElement.Clone());
    }

    static JsonElement Case(JsonElement cases, string id) =>
        cases.EnumerateArray().Single(c => c.GetProperty("case").GetString() == id);

    [Fact]
    public void ACrashKillsTheWorkerNotTheSweepAndIsBlamedOnItsOp()
    {
        const string crashing = "conv2d f32 weight-grad 4x1x28x28 conv(c=2,k=3)", aborting = "linear f64 input-grad 4x1352 dense(10)";

        var (result, report) = Doctor($"sigfpe:{crashing};abort:{aborting}");

        Assert.True(result.ExitCode == 1, result.ToString());
        CliAssert.NoStackTrace(result);
        Assert.Contains($"  {crashing}: crashed with SIGFPE (8)", result.OutputLines);
        Assert.Contains($"  {aborting}: crashed with SIGABRT (6)", result.OutputLines);
        var cases = report.GetProperty("cases");
        Assert.Equal(8, Case(cases, crashing).GetProperty("signal").GetInt32());
        Assert.Equal(6, Case(cases, aborting).GetProperty("signal").GetInt32());
        // The sweep went on: the cases after each crash, in the same group, ran in a new worker.
        foreach (string after in new[] { "relu f32 forward 4x2x26x26", "linear f32 weight-grad 4x1352 dense(10)", "cross_entropy f64 input-grad 4x10" })
            Assert.NotEqual("crashed", Case(cases, after).GetProperty("outcome").GetString());
        Assert.Equal(2, cases.EnumerateArray().Count(c => c.GetProperty("outcome").GetString() == "crashed"));
        Assert.Contains(result.OutputLines, l => l == "run `cnnparity doctor --isa` to find a setting under which LibTorch is right on this machine");
    }

    [Fact]
    public void APerturbedKernelIsWrongAndBlamedOnItsOp()
    {
        const string perturbed = "linear f64 forward 4x1352 dense(10)";

        var (result, report) = Doctor($"perturb:{perturbed}");

        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(result.OutputLines, l => l.StartsWith($"  {perturbed}: wrong: output[0] = ", StringComparison.Ordinal));
        var worst = Case(report.GetProperty("cases"), perturbed).GetProperty("worst");
        Assert.Equal("output", worst.GetProperty("tensor").GetString());
        Assert.Equal(0, worst.GetProperty("index").GetInt64());
        Assert.True(worst.GetProperty("ratio").GetDouble() > 100, worst.ToString()); // (|v| + 1)·1e-2 is far past any rounding
        Assert.Equal("FAIL", report.GetProperty("verdict").GetString());
    }

    [Fact]
    public void IsaTriesEachSettingAndNamesTheCheapestThatSparesTheOp()
    {
        const string crashing = "conv2d f32 weight-grad 4x1x28x28 conv(c=2,k=3)";

        var (result, report) = Doctor($"sigfpe-unless-SSE41:{crashing}", "--isa");

        Assert.True(result.ExitCode == 1, result.ToString());
        var trials = report.GetProperty("isa").EnumerateArray().ToList();
        Assert.Equal(TorchSetting.IsaTrials.Select(t => t.Isa), trials.Select(t => t.GetProperty("setting").GetProperty("dnnlMaxCpuIsa").GetString()));
        foreach (var trial in trials)
        {
            string outcome = Case(trial.GetProperty("cases"), crashing).GetProperty("outcome").GetString()!;
            bool spared = trial.GetProperty("setting").GetProperty("dnnlMaxCpuIsa").GetString() == "SSE41";
            Assert.True(spared ? outcome != "crashed" : outcome == "crashed", trial.ToString());
        }
        // With nothing else failing on this machine, SSE41 is the recommendation, at both thread counts.
        if (report.GetProperty("problems").GetArrayLength() == 1)
            Assert.Contains("recommended setting: DNNL_MAX_CPU_ISA=SSE41 (right at 1 thread and at all threads)", result.OutputLines);
    }

    [Theory]
    [InlineData("cnnparity: give --quick or --arch SPEC, not both", "doctor", "--quick", "--arch", "lenet5")]
    [InlineData("cnnparity: --batch sets the batch of an --arch sweep: give it with --arch SPEC", "doctor", "--batch", "4")]
    [InlineData("cnnparity: spec layer 1 'nosuch'", "doctor", "--arch", "nosuch flatten dense(10)")]
    [InlineData("cnnparity: --batch must be a positive integer, got 0", "doctor", "--arch", "lenet5", "--batch", "0")]
    public void BadOptionsAreOneLineAndExitTwo(string expected, params string[] args)
    {
        var result = CliProcess.Run(work.Path, args);
        CliAssert.OneLineError(result, 2);
        Assert.StartsWith(expected, result.ErrorLines[0]);
        Assert.False(Directory.Exists(Path.Combine(work.Path, "reports")));
    }
}
