using System.Text.Json;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Doctor;
using CnnParity.Reports.Doctor;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Tests;

/// <summary>doctor-report.{md,json,html}, and the FAIL section a parity report gets when LibTorch crashed its run.</summary>
public class DoctorReportTests
{
    static readonly DoctorCase Right = DoctorCase.Parse("tanh f32 forward 2x10") with { Group = "elementwise" };
    static readonly DoctorCase Crashing = DoctorCase.Parse("conv2d f32 weight-grad 2x512x8x8 conv(c=1024,k=1,s=2)") with { Group = "issue 20: 1x1 stride 2" };
    static readonly DoctorCase Wrong = DoctorCase.Parse("conv2d f32 forward 128x1x28x28 conv(c=2,k=28)") with { Group = "issue 20: whole input" };

    static DoctorReport Report()
    {
        CaseResult[] results =
        [
            new(Right, CaseOutcome.Right, new WorstElement("output", 3, 0.5, 0.5, 1e-7, 0.25), 20, 0.001),
            new(Crashing, CaseOutcome.Crashed, Signal: 8),
            new(Wrong, CaseOutcome.Wrong, new WorstElement("output", 17, 0.25, 3.95, 1.2e-4, 30833), 256, 0.01),
        ];
        var machine = new DoctorMachine("AMD EPYC", ["sse4_1", "avx2", "avx512f"], [], 2, "Debian GNU/Linux 12", ".NET 10.0.0", "0.2.0", "0.107.0", "2.10.0", false, null);
        var trials = TorchSetting.IsaTrials.Select(s => new IsaTrial(s, [
            new CaseResult(Crashing, s.Isa == "SSE41" ? CaseOutcome.Right : CaseOutcome.Crashed, Signal: s.Isa == "SSE41" ? null : 8),
            new CaseResult(Wrong, s.Isa is "AVX2" or "SSE41" ? CaseOutcome.Right : CaseOutcome.Wrong)])).ToList();
        var problems = results.Where(r => !r.IsGood).Select(DoctorRun.Problem).ToList();
        return new DoctorReport("FAIL", problems, DoctorRun.Recommend(2, true, trials), machine, "quick", new TorchSetting(null, 1), results, true, trials,
            ["NNPACK.cpp:56: Could not initialize NNPACK! Reason: Unsupported hardware. (12 times)"], 93.5);
    }

    [Fact]
    public void The_recommended_setting_is_the_cheapest_under_which_every_failing_case_is_right()
    {
        Assert.Equal("recommended setting: DNNL_MAX_CPU_ISA=SSE41 (right at 1 thread and at all threads)", Report().Recommendation);
        Assert.Null(DoctorRun.Recommend(0, true, []));
    }

    [Fact]
    public void Markdown_says_the_verdict_first_then_each_problem_and_what_to_set()
    {
        string md = DoctorMarkdownWriter.Render(Report());
        string[] lines = md.Split('\n');
        Assert.Equal("# FAIL: CnnParity doctor: is LibTorch right on this machine?", lines[0]);
        Assert.Contains("- conv2d f32 weight-grad 2x512x8x8 conv(c=1024,k=1,s=2): crashed with SIGFPE (8)", lines);
        Assert.Contains(lines, l => l == "- conv2d f32 forward 128x1x28x28 conv(c=2,k=28): wrong: output\\[17\\] = 0.25 where the float64 truth is 3.95 (3.08e+4× its rounding bound 1.2e-4)");
        Assert.Contains("**What to set:** recommended setting: DNNL\\_MAX\\_CPU\\_ISA=SSE41 (right at 1 thread and at all threads)", lines);
        Assert.Contains("| caches (as the OS reports them) | none reported |", lines);
        Assert.Contains("| NNPACK | not available (LibTorch could not initialise it) |", lines);
        Assert.Contains(lines, l => l.StartsWith("| LibTorch warned | NNPACK.cpp:56", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| conv2d f32 weight-grad 2x512x8x8 conv(c=1024,k=1,s=2) | CRASHED (SIGFPE (8)) |", StringComparison.Ordinal));
        Assert.Contains("<title>FAIL: CnnParity doctor: is LibTorch right on this machine?</title>", DoctorHtmlWriter.Render(Report()));
    }

    [Fact]
    public void Json_keeps_every_case_with_its_outcome_signal_and_worst_element()
    {
        using var doc = JsonDocument.Parse(DoctorJsonWriter.Render(Report()));
        var root = doc.RootElement;
        Assert.Equal(DoctorJsonWriter.TopLevelKeys, root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(DoctorReport.SchemaVersion, root.GetProperty("schemaVersion").GetInt32());
        var cases = root.GetProperty("cases").EnumerateArray().ToList();
        Assert.Equal(["right", "crashed", "wrong"], cases.Select(c => c.GetProperty("outcome").GetString()));
        Assert.Equal(8, cases[1].GetProperty("signal").GetInt32());
        Assert.Equal("SIGFPE", cases[1].GetProperty("signalName").GetString());
        Assert.Equal(30833, cases[2].GetProperty("worst").GetProperty("ratio").GetDouble());
        Assert.Empty(root.GetProperty("machine").GetProperty("caches").EnumerateArray());
        Assert.False(root.GetProperty("machine").GetProperty("nnpack").GetBoolean());
        Assert.Equal(8, root.GetProperty("isa").GetArrayLength());
        Assert.True(root.GetProperty("isa")[6].GetProperty("allRight").GetBoolean()); // SSE41, all threads
    }

    [Fact]
    public void A_parity_report_of_a_crashed_run_says_so_first()
    {
        var report = SyntheticReport.Create(epochs: 3, testCount: 20);
        var crash = new BackendCrash("the pre-flight probe", Crashing.Id, 8, "LibTorch runs it with DNNL_MAX_CPU_ISA=SSE41.");
        var crashed = report with { Verdict = "FAIL", Reasons = [crash.Reason], Backend = crash };

        using var doc = JsonDocument.Parse(JsonReportWriter.Render(crashed, MlNetMetrics.EvaluateAll(crashed.Training)));
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal("backend", keys[keys.IndexOf("reasons") + 1]);
        Assert.Equal(Crashing.Id, doc.RootElement.GetProperty("backend").GetProperty("op").GetString());
        string md = MarkdownReportWriter.Render(crashed, MlNetMetrics.EvaluateAll(crashed.Training));
        Assert.Contains("## FAIL: LibTorch crashed", md);
        Assert.Contains("| signal | SIGFPE (8) |", md);
        Assert.StartsWith("LibTorch crashed with SIGFPE (8) during the pre-flight probe, in conv2d f32 weight-grad", crash.Reason);
        Assert.Equal(Dtype.Float32, Crashing.Dtype);
        Assert.Equal(ActivationShape.Image(1024, 4, 4), Crashing.Output);
    }
}
