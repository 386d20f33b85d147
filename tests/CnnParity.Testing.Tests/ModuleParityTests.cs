using System.Text.Json;
using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

public class ModuleParityTests
{
    static Tensor Loss(Tensor output) => output.square().mean();

    [Fact]
    public void AFaithfulPortPassesEveryOutputAndGradientInExecutionOrder()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet());
        var result = ModuleParity.Compare(port, reference, SmallNet.Input(), Loss);
        Assert.True(result.Pass, result.ToMarkdown());
        Assert.Equal(
            ["forward conv1", "forward act", "forward pool", "forward flatten", "forward fc", "loss loss",
             "gradient conv1.weight", "gradient conv1.bias", "gradient fc.weight", "gradient fc.bias"],
            result.Checks.Select(c => $"{c.Stage} {c.Name}"));
        Assert.All(result.Checks, c => Assert.Equal(c.Distance!.Count, c.Distance.BitwiseEqual)); // same ops, same bits
        result.AssertPass();
    }

    [Fact]
    public void TheFirstWrongLayerIsMarkedFirst()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet(relu: true));
        var result = ModuleParity.Compare(port, reference, SmallNet.Input(), Loss, title: "SmallNet port vs reference");
        Assert.False(result.Pass);
        Assert.Equal(("forward", "act"), (result.FirstFailure!.Stage, result.FirstFailure.Name));
        Assert.True(result.Checks[0].Pass); // conv1 is still right
        var e = Assert.Throws<TensorMismatchException>(result.AssertPass);
        Assert.StartsWith("SmallNet port vs reference: act (forward) is the first of ", e.Message);
        Assert.Contains("act (forward): Tensor-likes are not close!\n\nMismatched elements: ", e.Message);
    }

    [Fact]
    public void AShapeChangeIsNamedAtItsLayerAndAForwardThatThrowsIsReported()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet(padding: 0));
        var result = ModuleParity.Compare(port, reference, SmallNet.Input(), Loss);
        var first = result.FirstFailure!;
        Assert.Equal("conv1", first.Name);
        Assert.Equal("shape (2, 2, 4, 4), expected (2, 2, 6, 6)", first.Problem);
        // 2×2×2 after pooling cannot enter Linear(18, 3): the port's forward throws at fc.
        Assert.Contains(result.Notes, n => n.StartsWith("The actual forward or backward threw: "));
        Assert.Equal("not reached: the pass threw before it", result.Checks.Single(c => c.Name == "fc").Problem);
        Assert.Equal("not computed: the pass threw", result.Checks.Single(c => c.Name == "fc.weight").Problem);
    }

    [Fact]
    public void ASubmoduleCalledWithForwardIsReportedAsNeverObserved()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet(forwardInsteadOfCall: true));
        var result = ModuleParity.Compare(port, reference, SmallNet.Input(), Loss);
        Assert.Equal("act", result.FirstFailure!.Name);
        Assert.StartsWith("no port output of this name or value (closest: conv1 (2, 2, 6, 6) ", result.FirstFailure.Problem);
        Assert.EndsWith("); is it invoked with call(x) rather than forward(x)?", result.FirstFailure.Problem);
        Assert.All(result.Checks.Where(c => c.Name != "act"), c => Assert.True(c.Pass));
    }

    [Fact]
    public void RendersAsMarkdownJsonAndHtml()
    {
        var (reference, port) = SmallNet.Pair(new SmallNet(relu: true));
        var result = ModuleParity.Compare(port, reference, SmallNet.Input(), Loss, title: "port vs reference");
        var md = result.ToMarkdown();
        Assert.StartsWith("# FAIL: port vs reference\n\n", md);
        Assert.Contains("| stage | name | shape | max abs | max rel | max ULP | mismatched | tolerance | result | note |\n", md);
        Assert.Contains("| forward | conv1 | (2, 2, 6, 6) | 0 | 0 | 0 | 0 / 144 | assert\\_close-f64 | PASS |  |\n", md);
        Assert.Contains("| forward | act | (2, 2, 6, 6) |", md);
        Assert.Contains("| **FAIL** | first failure |\n", md);

        using var json = JsonDocument.Parse(result.ToJson());
        var root = json.RootElement;
        Assert.Equal("FAIL", root.GetProperty("verdict").GetString());
        Assert.Equal("act", root.GetProperty("firstFailure").GetProperty("name").GetString());
        Assert.Equal(result.Checks.Count, root.GetProperty("checks").GetArrayLength());
        Assert.Equal(144, root.GetProperty("checks")[0].GetProperty("distance").GetProperty("count").GetInt32());

        var html = result.ToHtml();
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("<span class=\"verdict fail\">FAIL</span> port vs reference", html);
        Assert.Contains("<td class=\"fail\">FAIL</td><td>first failure</td>", html);
    }
}
