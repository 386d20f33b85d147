using System.Text.Json;
using CnnParity.Parity;
using CnnParity.Reports;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Tests;

/// <summary>The "Deployed model (ONNX Runtime, ML.NET)" section: in the verdict, the Markdown and the JSON.</summary>
public class DeployedSectionTests
{
    static ParityReport With(DeployedModelSection? deployed)
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        var verdict = Judge.Decide(r.Checks, r.Training, deployed?.Model);
        return r with { Verdict = verdict.Verdict, Reasons = verdict.Reasons, Deployed = deployed };
    }

    [Fact]
    public void ADeployedModelWithinToleranceAndANearTieFlipPass()
    {
        var report = With(SyntheticDeployed.Create(flipMargin: 1e-6));
        Assert.Equal(Judgement.Pass, report.Verdict);
        Assert.True(report.Deployed!.Model.Pass);
    }

    [Fact]
    public void OutputsOutsideTheToleranceFail()
    {
        var report = With(SyntheticDeployed.Create(failLogits: true));
        Assert.Equal(Judgement.Fail, report.Verdict);
        Assert.StartsWith("ONNX Runtime logits (f32, deployed, test set (1000)): 0.3 from the float64 truth at (432,1), 2.1e+5× its rounding bound", Assert.Single(report.Reasons));
    }

    [Fact]
    public void AFlipOnAClearMarginFails()
    {
        var report = With(SyntheticDeployed.Create(flipMargin: 0.5));
        Assert.Equal(Judgement.Fail, report.Verdict);
        Assert.Equal("ONNX Runtime deployed: 1 test images classified unlike the float64 truth by a margin rounding cannot explain (first: image 417)",
            Assert.Single(report.Reasons));
    }

    [Fact]
    public void MarkdownHasTheSectionAndSaysWhenThereIsNone()
    {
        var report = With(SyntheticDeployed.Create(flipMargin: 1e-6));
        string md = MarkdownReportWriter.Render(report, MlNetMetrics.EvaluateAll(report.Training));
        var lines = md.Split('\n');
        Assert.Contains("## Deployed model (ONNX Runtime, ML.NET)", lines);
        Assert.Contains("| output | dtype | scope | ONNX Runtime: from truth (× bound) | ML.NET ApplyOnnxModel: from truth (× bound) | " +
            "from-scratch (f32): from truth (× bound) | TorchSharp twin (f32): from truth (× bound) | decided by rounding | result |", lines);
        Assert.Contains("| logits | f32 | test set (1000) | 2.60e-7 (0.21×) | 2.60e-7 (0.21×) | 3.10e-7 (0.3×) | 2.20e-7 (0.18×) | 0 | PASS |", lines);
        Assert.Contains("| ONNX Runtime | 1,000 | 1 | 0 |", lines);
        Assert.Contains(lines, l => l.StartsWith("- **image 417:** ONNX Runtime says 3, the float64 truth 5, ahead by 1.00e-6 (a near tie, within rounding)", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("**ML.NET's multiclass metrics of the ApplyOnnxModel pipeline:** micro accuracy", StringComparison.Ordinal));
        Assert.True(md.IndexOf("## Deployed model", StringComparison.Ordinal) < md.IndexOf("## Speed", StringComparison.Ordinal));

        var none = With(null);
        string empty = MarkdownReportWriter.Render(none, MlNetMetrics.EvaluateAll(none.Training));
        Assert.Contains("## Deployed model (ONNX Runtime, ML.NET)\n\nNot exported in this run.", empty);
    }

    [Fact]
    public void JsonHoldsTheSectionOrNull()
    {
        var report = With(SyntheticDeployed.Create(flipMargin: 1e-6));
        using var doc = JsonDocument.Parse(JsonReportWriter.Render(report, MlNetMetrics.EvaluateAll(report.Training)));
        var deployed = doc.RootElement.GetProperty("deployed");
        Assert.Equal(["arch", "spec", "weights", "runtimes", "fileBytes", "opset", "irVersion", "nodes", "parameters", "testCount",
            "checks", "agreements", "accuracies", "mlNetMetrics", "pass"], deployed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(2, deployed.GetProperty("checks").GetArrayLength());
        Assert.Equal(4, deployed.GetProperty("checks")[0].GetProperty("sides").GetArrayLength());
        Assert.Equal(417, deployed.GetProperty("agreements")[0].GetProperty("flips")[0].GetProperty("image").GetInt32());
        Assert.True(deployed.GetProperty("agreements")[0].GetProperty("flips")[0].GetProperty("explained").GetBoolean());
        Assert.Equal("ML.NET ApplyOnnxModel", deployed.GetProperty("mlNetMetrics").GetProperty("model").GetString());
        Assert.True(deployed.GetProperty("pass").GetBoolean());

        var none = With(null);
        using var empty = JsonDocument.Parse(JsonReportWriter.Render(none, MlNetMetrics.EvaluateAll(none.Training)));
        Assert.Equal(JsonValueKind.Null, empty.RootElement.GetProperty("deployed").ValueKind);
    }
}
