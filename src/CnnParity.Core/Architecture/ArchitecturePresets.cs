namespace CnnParity.Core.Architecture;

/// <summary>Specs known by name, each written once here.</summary>
public static class ArchitecturePresets
{
    /// <summary>The chapter-10 network (its kernels and grid come from --kernels and --grid).</summary>
    public const string Chapter10Name = "ch10";

    /// <summary>LeCun et al. 1998 as PyTorch tutorials write it for 28x28 MNIST: padding 2 gives the original 32x32 geometry.</summary>
    public const string LeNet5 = "conv(c=6,k=5,p=2) tanh avgpool(k=2) conv(c=16,k=5) tanh avgpool(k=2) flatten dense(120) tanh dense(84) tanh dense(10)";

    /// <summary>The modern variant: ReLU and max pooling.</summary>
    public const string LeNet5Relu = "conv(c=6,k=5,p=2) relu maxpool(k=2) conv(c=16,k=5) relu maxpool(k=2) flatten dense(120) relu dense(84) relu dense(10)";

    static readonly Dictionary<string, string> Texts = new()
    {
        ["lenet5"] = LeNet5,
        ["lenet5-relu"] = LeNet5Relu,
    };

    /// <summary>Every preset name.</summary>
    public static IReadOnlyList<string> Names { get; } = [Chapter10Name, .. Texts.Keys];

    /// <summary>The preset called <paramref name="name"/> (case-insensitive), or null.</summary>
    public static string? Find(string name) => Names.FirstOrDefault(n => string.Equals(n, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The spec text of a preset other than ch10.</summary>
    public static string Text(string name) => Texts[name];
}
