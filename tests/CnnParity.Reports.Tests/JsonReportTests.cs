using CnnParity.Core.Engines;
using CnnParity.Parity;
using System.Text.Json;
using CnnParity.Parity.Results;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Tests;

public class JsonReportTests
{
    private static string Json(ParityReport r) => JsonReportWriter.Render(r, MlNetMetrics.EvaluateAll(r.Training));

    [Fact]
    public void Top_level_keys_come_in_the_schema_order_with_the_version_first()
    {
        using var doc = JsonDocument.Parse(Json(SyntheticReport.Create(epochs: 30, testCount: 200)));
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Equal(JsonReportWriter.TopLevelKeys, keys);
        Assert.Equal("schemaVersion", keys[0]);
        Assert.Equal(ParityReport.SchemaVersion, doc.RootElement.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("timings", keys[^1]);
    }

    /// <summary>A report records whether its training reshuffled every epoch (JSON and Markdown); ch10's never does.</summary>
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_spec_reports_configuration_says_whether_it_shuffled(bool shuffle)
    {
        var chapter10 = SyntheticReport.Create(epochs: 3, testCount: 20);
        var spec = chapter10 with
        {
            Configuration = chapter10.Configuration with { Arch = "lenet5", NumKernels = null, Grid = null, Momentum = 0.9, Shuffle = shuffle },
        };

        using var doc = JsonDocument.Parse(Json(spec));
        Assert.Equal(shuffle, doc.RootElement.GetProperty("configuration").GetProperty("shuffle").GetBoolean());
        string markdown = MarkdownReportWriter.Render(spec, MlNetMetrics.EvaluateAll(spec.Training));
        Assert.Contains(shuffle ? "| shuffle | every epoch (np.random.permutation) |" : "| shuffle | no (file order) |", markdown);
        using var ch10 = JsonDocument.Parse(Json(chapter10));
        Assert.False(ch10.RootElement.GetProperty("configuration").GetProperty("shuffle").GetBoolean());
    }

    /// <summary>
    /// A report records its optimizer and its settings (JSON and Markdown: the configuration table and the run line);
    /// ch10's, and any run before Adam, is torch.optim.SGD without weight decay, Adam's settings null.
    /// </summary>
    [Fact]
    public void A_spec_reports_configuration_records_its_optimizer()
    {
        var chapter10 = SyntheticReport.Create(epochs: 3, testCount: 20);
        var adamW = new OptimizerSettings(OptimizerKind.AdamW, 0.01, 0.9, 0.98, 1e-7);
        var spec = chapter10 with { Configuration = chapter10.Configuration with { Arch = "lenet5", NumKernels = null, Grid = null, Optimizer = adamW } };

        using var doc = JsonDocument.Parse(Json(spec));
        var c = doc.RootElement.GetProperty("configuration");
        Assert.Equal("adamw", c.GetProperty("optimizer").GetString());
        Assert.Equal([0.01, 0.9, 0.98, 1e-7], new[] { "weightDecay", "beta1", "beta2", "eps" }.Select(n => c.GetProperty(n).GetDouble()));
        string markdown = MarkdownReportWriter.Render(spec, MlNetMetrics.EvaluateAll(spec.Training));
        Assert.Contains("| optimizer | torch.optim.AdamW (β1 0.9, β2 0.98, eps 1E-07) |", markdown);
        Assert.Contains("| weight decay | 0.01 (decoupled: p·(1 − lr·wd)) |", markdown);
        Assert.Contains("adamw (β1 0.9, β2 0.98, eps 1E-07), weight decay 0.01, lr 2", markdown);

        using var ch10 = JsonDocument.Parse(Json(chapter10));
        var sgd = ch10.RootElement.GetProperty("configuration");
        Assert.Equal("sgd", sgd.GetProperty("optimizer").GetString());
        Assert.Equal(0, sgd.GetProperty("weightDecay").GetDouble());
        Assert.Equal(JsonValueKind.Null, sgd.GetProperty("beta1").ValueKind);
        string ch10Markdown = MarkdownReportWriter.Render(chapter10, MlNetMetrics.EvaluateAll(chapter10.Training));
        Assert.Contains("| optimizer | torch.optim.SGD |", ch10Markdown);
        Assert.Contains("| weight decay | none |", ch10Markdown);
    }

    /// <summary>A report records its learning rate decay (JSON and Markdown); ch10's is 1, none.</summary>
    [Fact]
    public void A_spec_reports_configuration_records_its_learning_rate_decay()
    {
        var chapter10 = SyntheticReport.Create(epochs: 3, testCount: 20);
        var spec = chapter10 with
        {
            Configuration = chapter10.Configuration with { Arch = "lenet5", NumKernels = null, Grid = null, Momentum = 0.9, Shuffle = true, LearningRateDecay = 0.8 },
        };

        using var doc = JsonDocument.Parse(Json(spec));
        Assert.Equal(0.8, doc.RootElement.GetProperty("configuration").GetProperty("learningRateDecay").GetDouble());
        Assert.Contains("| learning rate decay | ×0.8 after every epoch (ExponentialLR) |", MarkdownReportWriter.Render(spec, MlNetMetrics.EvaluateAll(spec.Training)));
        using var ch10 = JsonDocument.Parse(Json(chapter10));
        Assert.Equal(1, ch10.RootElement.GetProperty("configuration").GetProperty("learningRateDecay").GetDouble());
        Assert.Contains("| learning rate decay | none |", MarkdownReportWriter.Render(chapter10, MlNetMetrics.EvaluateAll(chapter10.Training)));
    }

    [Fact]
    public void Sections_hold_the_report_content()
    {
        var report = SyntheticReport.Create(epochs: 30, testCount: 200);
        using var doc = JsonDocument.Parse(Json(report));
        var root = doc.RootElement;

        // The check rows as the parity file writes them: every side against the float64 truth, the bound by name.
        var forward = root.GetProperty("forward")[0];
        Assert.Equal(["kind", "tensor", "dtype", "scope", "shape", "truth", "bound", "sides", "pass", "verdict"],
            forward.EnumerateObject().Select(p => p.Name));
        Assert.Equal(["side", "maxAbs", "worstRatio", "worstDistance", "worstIndex", "worstAt", "outside", "count", "within"],
            forward.GetProperty("sides")[0].EnumerateObject().Select(p => p.Name));
        // Only float64 rows name a tolerance; a float32 row's bound is the rounding bound, described in the report.
        Assert.Equal([Tolerances.ForwardFloat64.Name, Tolerances.GradientFloat64.Name, Tolerances.FiniteDifference.Name],
            root.GetProperty("tolerances").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        Assert.Equal("conv1.weight", root.GetProperty("gradients")[0].GetProperty("tensor").GetString());
        Assert.Equal(30, root.GetProperty("lockstep").GetArrayLength());
        Assert.Equal(report.Checks.LockstepLimit, root.GetProperty("lockstepLimit").GetDouble());
        Assert.Equal(report.BookRule.Count, root.GetProperty("bookRule").GetArrayLength());

        var training = root.GetProperty("training");
        Assert.Equal(report.Training.Count, training.GetArrayLength());
        var lockstep = training[2];
        Assert.Equal(["model", "diverged", "testCount", "epoch", "testAcc", "trainAcc", "loss", "maxParamRelDiff", "sensitivity", "flips", "final", "best"],
            lockstep.EnumerateObject().Select(p => p.Name));
        Assert.Equal(30, lockstep.GetProperty("testAcc").GetArrayLength());
        Assert.Equal(report.Training[2].Epochs[7].TestAcc, lockstep.GetProperty("testAcc")[7].GetDouble());
        Assert.Equal(report.Training[2].Epochs[29].MaxParamRelDiff, lockstep.GetProperty("maxParamRelDiff")[29].GetDouble());
        Assert.Equal(JsonValueKind.Null, training[0].GetProperty("maxParamRelDiff")[0].ValueKind);

        var metrics = root.GetProperty("metrics");
        Assert.Equal(report.Training.Select(t => t.Model), metrics.EnumerateArray().Select(m => m.GetProperty("model").GetString()));
        Assert.Equal(10, metrics[0].GetProperty("confusionMatrix").GetArrayLength());
        Assert.Equal(200, metrics[0].GetProperty("confusionMatrix").EnumerateArray().SelectMany(r => r.EnumerateArray()).Sum(c => c.GetInt64()));

        Assert.Equal(JsonValueKind.Null, root.GetProperty("bookPrintedRun").ValueKind);
        Assert.Equal(5, root.GetProperty("timings").GetProperty("speed").GetArrayLength());
    }

    [Fact]
    public void Environment_names_the_CnnParity_version_beside_TorchSharp_and_LibTorch()
    {
        var report = SyntheticReport.Create(epochs: 3, testCount: 20);
        using var doc = JsonDocument.Parse(Json(report));
        var environment = doc.RootElement.GetProperty("environment");
        Assert.Equal(["cpu", "logicalCores", "threads", "os", "dotnet", "cnnParity", "torchSharp", "libTorch", "mlNet", "numPy"],
            environment.EnumerateObject().Select(p => p.Name));
        Assert.Equal(report.Environment.CnnParity, environment.GetProperty("cnnParity").GetString());
        Assert.Equal(report.Environment.TorchSharp, environment.GetProperty("torchSharp").GetString());
        Assert.Equal(report.Environment.LibTorch, environment.GetProperty("libTorch").GetString());
    }

    /// <summary>LibTorch's warnings, shown once on the console, are kept in the report's environment with their counts (issue 20).</summary>
    [Fact]
    public void The_environment_keeps_LibTorchs_warnings_only_when_there_were_some()
    {
        var quiet = SyntheticReport.Create(epochs: 3, testCount: 20);
        const string warning = "NNPACK.cpp:56: Could not initialize NNPACK! Reason: Unsupported hardware. (312 times)";
        var noisy = quiet with { Environment = quiet.Environment with { LibTorchWarnings = [warning] } };

        using var doc = JsonDocument.Parse(Json(noisy));
        Assert.Equal([warning], doc.RootElement.GetProperty("environment").GetProperty("libTorchWarnings").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains($"| LibTorch warned | {warning} |", MarkdownReportWriter.Render(noisy, MlNetMetrics.EvaluateAll(noisy.Training)));
        using var none = JsonDocument.Parse(Json(quiet with { Environment = quiet.Environment with { LibTorchWarnings = [] } }));
        Assert.False(none.RootElement.GetProperty("environment").TryGetProperty("libTorchWarnings", out _));
    }

    [Fact]
    public void The_book_configuration_carries_the_printed_run()
    {
        using var doc = JsonDocument.Parse(Json(SyntheticReport.Create(epochs: 3, testCount: 20, kernels: 16, grid: 25)));
        var book = doc.RootElement.GetProperty("bookPrintedRun");
        Assert.Equal(299, book.GetProperty("epoch").GetInt32());
        Assert.Equal(0.8774, book.GetProperty("testAcc").GetDouble());
    }

    [Fact]
    public void Non_finite_numbers_become_null_with_a_reason()
    {
        var r = SyntheticReport.Create(epochs: 4, testCount: 20);
        var nanRun = r.Training[1] with
        {
            Epochs = [.. r.Training[1].Epochs.Take(3), new EpochRecord(3, double.NaN, 0.5, null, double.PositiveInfinity)],
            TestProbabilities = [.. r.Training[1].TestProbabilities.Select(_ => double.NaN)],
            Diverged = "NaN loss at epoch 3",
        };
        r = r with
        {
            Checks = r.Checks with { Forward = [r.Forward[0] with { Sides = [r.Forward[0].Sides[0] with { Ratio = double.NaN }, .. r.Forward[0].Sides.Skip(1)] }, .. r.Forward.Skip(1)] },
            Training = [r.Training[0], nanRun, .. r.Training.Skip(2)],
        };

        string json = Json(r);

        Assert.DoesNotContain("NaN,", json);
        Assert.DoesNotContain(": NaN", json);
        Assert.DoesNotContain("Infinity,", json);
        using var doc = JsonDocument.Parse(json);
        // A check row's non-finite distance is its text, as in the parity file.
        Assert.Equal("NaN", doc.RootElement.GetProperty("forward")[0].GetProperty("sides")[0].GetProperty("worstRatio").GetString());
        var run = doc.RootElement.GetProperty("training")[1];
        Assert.Equal(JsonValueKind.Null, run.GetProperty("testAcc")[3].ValueKind);
        Assert.Equal("NaN at index 3", run.GetProperty("testAccNullReason").GetString());
        Assert.Equal("+Infinity at index 3", run.GetProperty("lossNullReason").GetString());
        var metrics = doc.RootElement.GetProperty("metrics")[1];
        Assert.Equal(JsonValueKind.Null, metrics.GetProperty("logLoss").ValueKind);
        Assert.Equal("20 of 20 images have NaN or infinite probabilities", metrics.GetProperty("logLossNullReason").GetString());
        // Every image still counts: the evaluator would silently drop rows with NaN scores.
        Assert.Equal(20, metrics.GetProperty("confusionMatrix").EnumerateArray().SelectMany(x => x.EnumerateArray()).Sum(c => c.GetInt64()));
    }

    [Fact]
    public void Equal_reports_give_identical_bytes()
    {
        Assert.Equal(Json(SyntheticReport.Create(epochs: 40, testCount: 300)), Json(SyntheticReport.Create(epochs: 40, testCount: 300)));
    }

    [Fact]
    public void Timings_change_only_the_timings_section()
    {
        string a = Json(SyntheticReport.Create(epochs: 40, testCount: 300, timingScale: 1));
        string b = Json(SyntheticReport.Create(epochs: 40, testCount: 300, timingScale: 1.37));

        Assert.NotEqual(a, b);
        int cut = a.IndexOf("\n  \"timings\":", StringComparison.Ordinal);
        Assert.True(cut > 0);
        Assert.Equal(cut, b.IndexOf("\n  \"timings\":", StringComparison.Ordinal));
        Assert.Equal(a[..cut], b[..cut]);
    }

    [Fact]
    public void Numbers_round_trip()
    {
        var r = SyntheticReport.Create(epochs: 3, testCount: 20);
        double tricky = 0.1 + 0.2; // 0.30000000000000004
        r = r with { Checks = r.Checks with { Forward = [r.Forward[0] with { Sides = [r.Forward[0].Sides[0] with { MaxAbs = tricky, Ratio = 1e-300 }] }] } };
        using var doc = JsonDocument.Parse(Json(r));
        var d = doc.RootElement.GetProperty("forward")[0].GetProperty("sides")[0];
        Assert.Equal(tricky, d.GetProperty("maxAbs").GetDouble());
        Assert.Equal(1e-300, d.GetProperty("worstRatio").GetDouble());
    }
}
