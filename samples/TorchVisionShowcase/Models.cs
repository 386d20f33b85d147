using TorchSharp;
using static TorchSharp.torch;

namespace TorchVisionShowcase;

/// <summary>One model both TorchVision 0.107 (.NET) and torchvision 0.14 have: how each side builds it, and on what input.</summary>
/// <param name="Name">torchvision's function name</param>
/// <param name="Kwargs">torchvision's keyword arguments, as JSON (torch_golden.py --kwargs)</param>
/// <param name="InputShape">the batch, N,C,H,W</param>
/// <param name="Build">the .NET model with the same architecture</param>
sealed record ShowcaseModel(string Name, string Kwargs, string InputShape, Func<nn.Module<Tensor, Tensor>> Build);

static class Models
{
    const string Ten = """{"num_classes": 10}""";

    public static readonly IReadOnlyList<ShowcaseModel> All =
    [
        new("resnet18", Ten, "2,3,64,64", () => torchvision.models.resnet18(num_classes: 10)),
        // TorchVision's mobilenet_v3 functions take no arguments: 1000 classes on both sides.
        new("mobilenet_v3_small", "{}", "2,3,64,64", () => torchvision.models.mobilenet_v3_small()),
        new("mobilenet_v3_large", "{}", "2,3,64,64", () => torchvision.models.mobilenet_v3_large()),
        new("mobilenet_v2", Ten, "2,3,64,64", () => torchvision.models.mobilenet_v2(num_classes: 10)),
        new("googlenet", """{"num_classes": 10, "aux_logits": false, "init_weights": true}""", "2,3,64,64", () => torchvision.models.googlenet(num_classes: 10)),
        new("resnet34", Ten, "2,3,64,64", () => torchvision.models.resnet34(num_classes: 10)),
        new("resnet50", Ten, "2,3,64,64", () => torchvision.models.resnet50(num_classes: 10)),
        new("resnext50_32x4d", Ten, "2,3,64,64", () => torchvision.models.resnext50_32x4d(num_classes: 10)),
        new("wide_resnet50_2", Ten, "2,3,64,64", () => torchvision.models.wide_resnet50_2(num_classes: 10)),
        // The .NET model always has the auxiliary head, so the golden needs it too; its 5×5 convolution needs 299×299.
        new("inception_v3", """{"num_classes": 10, "aux_logits": true, "init_weights": true}""", "2,3,299,299", () => torchvision.models.inception_v3(num_classes: 10)),
        new("alexnet", Ten, "2,3,64,64", () => torchvision.models.alexnet(num_classes: 10)),
        new("vgg11_bn", Ten, "2,3,64,64", () => torchvision.models.vgg11_bn(num_classes: 10)),
    ];
}
