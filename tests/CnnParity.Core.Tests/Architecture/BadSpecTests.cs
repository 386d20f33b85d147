using CnnParity.Core.Architecture;

namespace CnnParity.Core.Tests.Architecture;

/// <summary>Every way a spec can be wrong gives one line naming the layer (position and text) and the reason.</summary>
public sealed class BadSpecTests
{
    /// <summary>Spec and the exact message (tests/CnnParity.Cli.Tests check the same cases end to end).</summary>
    public static TheoryData<string, string> BadSpecs => new()
    {
        // unknown layer
        { "conv(c=4,k=3) softmax flatten dense(10)", "spec layer 2 'softmax': unknown layer 'softmax' (expected one of conv, maxpool, avgpool, gap, tanh, relu, relu6, sigmoid, dropout, flatten, dense, batchnorm)" },
        // unknown key
        { "conv(c=4,k=3,d=2) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,d=2)': unknown key 'd' (conv takes c, k, s, p, g, bias: conv(c=OUT,k=K[,s=STRIDE][,p=PAD][,g=GROUPS][,bias=true|false]))" },
        { "maxpool(k=2,p=1) flatten dense(10)", "spec layer 1 'maxpool(k=2,p=1)': unknown key 'p' (maxpool takes k and s: maxpool(k=K[,s=S]))" },
        // a kernel larger than its input
        { "conv(c=4,k=3,s=3) conv(c=8,k=11) flatten dense(10)", "spec layer 2 'conv(c=8,k=11)': kernel 11 is larger than its 9x9 input" },
        { "conv(c=4,k=5,s=5) maxpool(k=6) flatten dense(10)", "spec layer 2 'maxpool(k=6)': window 6 is larger than its 5x5 input" },
        // zero or negative sizes
        { "conv(c=0,k=3) flatten dense(10)", "spec layer 1 'conv(c=0,k=3)': c must be a positive integer, got 0" },
        { "conv(c=4,k=-3) flatten dense(10)", "spec layer 1 'conv(c=4,k=-3)': k must be a positive integer, got -3" },
        { "conv(c=4,k=3,p=-1) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,p=-1)': p must be a non-negative integer, got -1" },
        { "conv(c=4,k=3,s=0) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,s=0)': s must be a positive integer, got 0" },
        { "flatten dense(0) dense(10)", "spec layer 2 'dense(0)': the width must be a positive integer, got 0" },
        // a layer after flatten that needs an image
        { "conv(c=4,k=3) flatten maxpool(k=2) dense(10)", "spec layer 3 'maxpool(k=2)': maxpool needs an image (channels x height x width), but its input is a vector of 2704: flatten comes after the image layers" },
        { "flatten conv(c=4,k=3) dense(10)", "spec layer 2 'conv(c=4,k=3)': conv needs an image (channels x height x width), but its input is a vector of 784: flatten comes after the image layers" },
        // missing flatten
        { "conv(c=4,k=3) relu dense(10)", "spec layer 3 'dense(10)': dense needs a vector, but its input is the image 4x26x26: put flatten before it" },
        // the last layer is not dense(10)
        { "conv(c=4,k=3) flatten dense(32)", "spec layer 3 'dense(32)': the last layer must be dense(10), the logits of the 10 classes (the loss is softmax cross-entropy)" },
        { "conv(c=4,k=3) flatten dense(10) relu", "spec layer 4 'relu': the last layer must be dense(10), the logits of the 10 classes (the loss is softmax cross-entropy)" },
        // p outside [0, 1)
        { "conv(c=4,k=3) dropout(p=1) flatten dense(10)", "spec layer 2 'dropout(p=1)': p must be in [0, 1), got 1" },
        { "conv(c=4,k=3) dropout(p=-0.1) flatten dense(10)", "spec layer 2 'dropout(p=-0.1)': p must be in [0, 1), got -0.1" },
        { "conv(c=4,k=3) dropout(p=half) flatten dense(10)", "spec layer 2 'dropout(p=half)': p must be a number in [0, 1), got 'half'" },
        // syntax
        { "conv(c=4,k=3 flatten dense(10)", "spec layer 1 'conv(c=4,k=3 flatten dense(10)': '(' is never closed" },
        { "conv(c=4,k=3)) flatten dense(10)", "spec layer 1 'conv(c=4,k=3))': ')' without '('" },
        { "conv(c=4,k=3)x flatten dense(10)", "spec layer 1 'conv(c=4,k=3)x': nothing may follow ')' (got 'x')" },
        { "conv(c=4,k=3,c=5) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,c=5)': 'c' is given twice" },
        { "conv(c=4) flatten dense(10)", "spec layer 1 'conv(c=4)': conv needs k= (conv takes c, k, s, p, g, bias: conv(c=OUT,k=K[,s=STRIDE][,p=PAD][,g=GROUPS][,bias=true|false]))" },
        { "conv(c=4,k=3,bias=yes) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,bias=yes)': bias must be true or false, got 'yes'" },
        { "conv(c=4.5,k=3) flatten dense(10)", "spec layer 1 'conv(c=4.5,k=3)': c must be a positive integer, got '4.5'" },
        { "tanh(x=1) flatten dense(10)", "spec layer 1 'tanh(x=1)': tanh takes no arguments" },
        { "flatten flatten dense(10)", "spec layer 2 'flatten': its input is already a vector: flatten once, after the image layers" },
        { "conv(c=4,k=3) conv(c=6,k=3,g=4) flatten dense(10)", "spec layer 2 'conv(c=6,k=3,g=4)': g=4 does not divide the 4 input and 6 output channels (torch.nn.Conv2d needs both to be multiples of groups)" },
        { "conv(c=6,k=3,g=2) flatten dense(10)", "spec layer 1 'conv(c=6,k=3,g=2)': g=2 does not divide the 1 input and 6 output channels (torch.nn.Conv2d needs both to be multiples of groups)" },
        { "conv(c=4,k=3,g=0) flatten dense(10)", "spec layer 1 'conv(c=4,k=3,g=0)': g must be a positive integer, got 0" },
        { "relu batchnorm conv(c=4,k=3) flatten dense(10)", "spec layer 2 'batchnorm': batchnorm needs a conv or dense layer before it: it normalises their outputs" },
        { "conv(c=4,k=3) batchnorm(eps=0) flatten dense(10)", "spec layer 2 'batchnorm(eps=0)': eps must be in (0, 1], got 0" },
        { "conv(c=4,k=3) batchnorm(momentum=1.5) flatten dense(10)", "spec layer 2 'batchnorm(momentum=1.5)': momentum must be in [0, 1], got 1.5" },
        { "conv(c=4,k=3) batchnorm(p=1) flatten dense(10)", "spec layer 2 'batchnorm(p=1)': unknown key 'p' (batchnorm takes eps and momentum: batchnorm(eps=E,momentum=M), PyTorch's 1e-5 and 0.1 by default)" },
        { "conv(c=4,k=3) gap relu gap flatten dense(10)", "spec layer 4 'gap': gap is given twice: the first already pools every channel to 1x1" },
        { "conv(c=4,k=3) flatten gap dense(10)", "spec layer 3 'gap': gap needs an image (channels x height x width), but its input is a vector of 2704: flatten comes after the image layers" },
        { "conv(c=5000,k=3) flatten dense(10)", "spec layer 1 'conv(c=5000,k=3)': c must be at most 1024, got 5000" },
        { "   ", "the spec has no layers (e.g. \"conv(c=4,k=3) relu flatten dense(10)\", or a preset: ch10, lenet5, lenet5-relu)" },
        { "flatten dense(,bias=false) dense(10)", "spec layer 2 'dense(,bias=false)': an empty argument (two commas, or a comma at an end)" },
    };

    [Theory]
    [MemberData(nameof(BadSpecs))]
    public void BadSpecIsOneLineNamingTheLayer(string text, string message)
    {
        var error = Assert.Throws<ArchitectureSpecException>(() => ArchitectureSpec.Parse(text));

        Assert.Equal(message, error.Message);
        Assert.DoesNotContain('\n', error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void SpecFileMayHoldTextOrJson()
    {
        string folder = Directory.CreateTempSubdirectory("cnnparity-spec-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(folder, "a.txt"), "conv(c=2,k=3)\nrelu\nflatten dense(10)\n");
            File.WriteAllText(Path.Combine(folder, "b.json"), """{"layers": ["conv(c=2,k=3)", "relu", "flatten", "dense(10)"]}""");
            File.WriteAllText(Path.Combine(folder, "c.json"), """{"arch": "lenet5"}""");
            File.WriteAllText(Path.Combine(folder, "d.json"), """{"layers": 3}""");

            Assert.Equal("conv(c=2,k=3) relu flatten dense(10)", SpecSource.Read(Path.Combine(folder, "a.txt")).Text);
            Assert.Equal("conv(c=2,k=3) relu flatten dense(10)", SpecSource.Read(Path.Combine(folder, "b.json")).Text);
            Assert.Equal("lenet5", SpecSource.Read(Path.Combine(folder, "c.json")).Preset);
            Assert.Contains("needs \"arch\"", Assert.Throws<ArchitectureSpecException>(() => SpecSource.Read(Path.Combine(folder, "d.json"))).Message);
            Assert.Contains("cannot read the spec file", Assert.Throws<ArchitectureSpecException>(() => SpecSource.Read(Path.Combine(folder, "none.json"))).Message);
            Assert.Equal(16, SpecSource.Read("ch10", numKernels: 16, grid: 25).Chapter10NumKernels);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
