using System.Reflection;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Testing.Tests;

/// <summary>
/// TorchVision 0.107's .NET models — ports CnnParity.Testing had never seen — against torchvision 0.14's, with the
/// default call: right ports pass (their names aligned by value, rounding told from error), planted faults fail at
/// their layer, blamed on the port.
/// </summary>
public class TorchVisionPortTests(TorchVisionGoldens goldens) : IClassFixture<TorchVisionGoldens>
{
    const string ResNet18 = """{"num_classes": 10}""";
    const string GoogLeNet = """{"num_classes": 10, "aux_logits": false, "init_weights": true}""";

    [SkippableFact]
    public void ResNet18PassesWithTwoAlignmentsPerBlock()
    {
        Skip.If(TorchVisionGoldens.Missing is not null, TorchVisionGoldens.Missing);
        using var golden = TorchGolden.Load(goldens.Path("resnet18", ResNet18, steps: 2));
        using var model = torchvision.models.resnet18(num_classes: 10);
        var result = ModuleParity.Compare(model, golden);
        Assert.True(result.Pass, result.ToMarkdown());
        Assert.True(golden.HasShadow);
        Assert.All(result.Checks, c => Assert.NotNull(c.Truth));
        var aligned = result.Checks.Where(c => c.MatchedByValue is not null).Select(c => $"{c.Name} → {c.MatchedByValue}").ToList();
        string[] blocks = ["layer1.0", "layer1.1", "layer2.0", "layer2.1", "layer3.0", "layer3.1", "layer4.0", "layer4.1"];
        Assert.Equal(blocks.SelectMany(b => new[] { $"{b}.relu → {b}.relu1", $"{b}.relu#2 → {b}" }), aligned);
        Assert.Contains("- layer1.0.relu#2 matched by value to layer1.0\n", result.ToMarkdown());
        Assert.Contains(result.Notes, n => n.StartsWith("Port outputs nothing in the golden matches (1): flatten", StringComparison.Ordinal));
    }

    [SkippableTheory]
    [InlineData(false)]
    [InlineData(true)]
    public void MobileNetV3SmallPassesInEvalAndTrainMode(bool trainMode)
    {
        Skip.If(TorchVisionGoldens.Missing is not null, TorchVisionGoldens.Missing);
        // TorchVision's mobilenet_v3_small() takes no arguments: 1000 classes on both sides.
        using var golden = TorchGolden.Load(goldens.Path("mobilenet_v3_small", "{}", trainMode: trainMode));
        using var model = torchvision.models.mobilenet_v3_small();
        var result = ModuleParity.Compare(model, golden);
        Assert.True(result.Pass, result.ToMarkdown());
        Assert.Equal(trainMode, result.Checks.Any(c => c.Name.EndsWith(".running_var", StringComparison.Ordinal)));
    }

    [SkippableFact]
    public void ABatchNormEpsIsBlamedOnThePortAtThatLayer()
    {
        Skip.If(TorchVisionGoldens.Missing is not null, TorchVisionGoldens.Missing);
        using var golden = TorchGolden.Load(goldens.Path("resnet18", ResNet18, steps: 2));
        using var model = torchvision.models.resnet18(num_classes: 10);
        ((TorchSharp.Modules.BatchNorm2d)Submodule(model, "layer1.0.bn1")).eps = 1e-3;
        AssertPortFailsFirstAt(ModuleParity.Compare(model, golden), "layer1.0.bn1");
    }

    [SkippableFact]
    public void ADownsampleOfStrideOneIsBlamedOnThePortAtThatLayer()
    {
        Skip.If(TorchVisionGoldens.Missing is not null, TorchVisionGoldens.Missing);
        using var golden = TorchGolden.Load(goldens.Path("resnet18", ResNet18, steps: 2));
        using var model = torchvision.models.resnet18(num_classes: 10);
        ((TorchSharp.Modules.Conv2d)Submodule(model, "layer2.0.downsample.0")).stride = [1, 1];
        var result = ModuleParity.Compare(model, golden);
        Assert.Equal("layer2.0.downsample.0", result.FirstFailure!.Name);
        Assert.Equal("shape (2, 128, 16, 16), expected (2, 128, 8, 8)", result.FirstFailure.Problem);
        Assert.All(result.Checks.TakeWhile(c => c != result.FirstFailure), c => Assert.True(c.Pass));
    }

    [SkippableFact]
    public void ADroppedReluFailsAtThatReluNamingTheClosestCandidates()
    {
        Skip.If(TorchVisionGoldens.Missing is not null, TorchVisionGoldens.Missing);
        using var golden = TorchGolden.Load(goldens.Path("resnet18", ResNet18, steps: 2));
        using var model = torchvision.models.resnet18(num_classes: 10);
        var block = Submodule(model, "layer1.0");
        block.GetType().GetField("relu1", BindingFlags.NonPublic | BindingFlags.Instance)!.SetValue(block, nn.Identity());
        var result = ModuleParity.Compare(model, golden);
        Assert.Equal("layer1.0.relu", result.FirstFailure!.Name);
        // The ReLU's input, bn1, is among the closest port outputs of its shape (by max abs from the truth).
        Assert.StartsWith("no port output of this name or value (closest: ", result.FirstFailure.Problem);
        Assert.Contains(", layer1.0.bn1 (2, 64, 16, 16) ", result.FirstFailure.Problem);
        Assert.All(result.Checks.TakeWhile(c => c != result.FirstFailure), c => Assert.True(c.Pass));
    }

    [SkippableFact]
    public void GoogLeNetPassesInFloat32AndABatchNormBiasOffBy1e3Fails()
    {
        Skip.If(TorchVisionGoldens.Missing is not null, TorchVisionGoldens.Missing);
        using var golden = TorchGolden.Load(goldens.Path("googlenet", GoogLeNet, steps: 2));
        using (var right = torchvision.models.googlenet(num_classes: 10))
        {
            var result = ModuleParity.Compare(right, golden);
            Assert.True(result.Pass, result.ToMarkdown());
            Assert.Equal(745, result.Checks.Count); // 2 steps: the count
            Assert.All(result.Checks, c => Assert.NotNull(c.Truth));
            Assert.StartsWith("745 checks within tolerance.", result.ToMarkdown().Split('\n')[2]);
        }
        using var wrong = torchvision.models.googlenet(num_classes: 10);
        // After the golden's weights are loaded: a hook on the module shifts its output as a bias 1e-3 off would.
        var bn = (TorchSharp.Modules.BatchNorm2d)Submodule(wrong, "inception4a.branch2.1.bn");
        bn.register_forward_hook((_, _, output) => output + 1e-3);
        AssertPortFailsFirstAt(ModuleParity.Compare(wrong, golden), "inception4a.branch2.1.bn");
    }

    static void AssertPortFailsFirstAt(ParityResult result, string layer)
    {
        var first = result.FirstFailure!;
        Assert.Equal(("forward", layer), (first.Stage, first.Name));
        Assert.Equal("port", first.Truth!.Blamed);
        Assert.StartsWith($"port {layer}: computes another function (the float64 port is ", first.Truth.Reason);
        Assert.All(result.Checks.TakeWhile(c => c != first), c => Assert.True(c.Pass));
        var e = Assert.Throws<TensorMismatchException>(result.AssertPass);
        Assert.Contains($": {layer} (forward) is the first of ", e.Message);
    }

    static nn.Module Submodule(nn.Module model, string name) => model.named_modules().Single(m => m.name == name).module;
}
