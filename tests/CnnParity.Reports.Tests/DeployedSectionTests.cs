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
        Assert.StartsWith("deployed model logits (ONNX Runtime vs from-scratch (f32)): max abs 0.3", Assert.Single(report.Reasons));
    }

    [Fact]
    public void AFlipOnAClearMarginFails()
    {
        var report = With(SyntheticDeployed.Create(flipMargin: 0.5));
        Assert.Equal(Judgement.Fail, report.Verdict);
        Assert.Equal("deployed model: 1 test images classified differently by ONNX Runtime and from-scratch (f32) with a margin rounding cannot explain (first: image 417)",
            Assert.Single(report.Reasons));
    }

    [Fact]
    public void MarkdownHasTheSectionAndSaysWhenThereIsNone()
    {
        var report = With(SyntheticDeployed.Create(flipMargin: 1e-6));
        string md = MarkdownReportWriter.Render(report, MlNetMetrics.EvaluateAll(report.Training));
        var lines = md.Split('\n');
        Assert.Contains("## Deployed model (ONNX Runtime, ML.NET)", lines);
        Assert.Contains(lines, l => l.StartsWith("| logits | ONNX Runtime | from-scratch (f32) | ", StringComparison.Ordinal)
            && l.EndsWith(" | 19,624 | 5.0% | assert\\_close-f32 | PASS |", StringComparison.Ordinal));
        Assert.Contains("| ONNX Runtime | from-scratch (f32) | 1,000 | 1 | 0 |", lines);
        Assert.Contains(lines, l => l.StartsWith("- **image 417:** ONNX Runtime says 3, from-scratch (f32) 5", StringComparison.Ordinal));
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
            "comparisons", "agreements", "accuracies", "mlNetMetrics", "pass"], deployed.EnumerateObject().Select(p => p.Name));
        Assert.Equal(3, deployed.GetProperty("comparisons").GetArrayLength());
        Assert.Equal(417, deployed.GetProperty("agreements")[0].GetProperty("flips")[0].GetProperty("image").GetInt32());
        Assert.True(deployed.GetProperty("agreements")[0].GetProperty("flips")[0].GetProperty("explained").GetBoolean());
        Assert.Equal("ML.NET ApplyOnnxModel", deployed.GetProperty("mlNetMetrics").GetProperty("model").GetString());
        Assert.True(deployed.GetProperty("pass").GetBoolean());

        var none = With(null);
        using var empty = JsonDocument.Parse(JsonReportWriter.Render(none, MlNetMetrics.EvaluateAll(none.Training)));
        Assert.Equal(JsonValueKind.Null, empty.RootElement.GetProperty("deployed").ValueKind);
    }
}
