namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>conv(c=OUT,k=K[,s=STRIDE][,p=PAD][,g=GROUPS][,bias=true|false])</c>: torch.nn.Conv2d(in, OUT, K, stride, padding,
/// groups=GROUPS, bias=bias) (https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html), square kernel, zero
/// padding on every side. With g groups each output channel sees in/g input channels (g = in is depthwise), and the
/// weight is (OUT, in/g, K, K), as PyTorch's; g must divide both channel counts.
/// </summary>
public sealed record Conv2dSpec(int OutChannels, int Kernel, int Stride = 1, int Padding = 0, bool Bias = true, int Groups = 1) : LayerSpec
{
    public override string Keyword => "conv";

    public override string Text =>
        $"conv(c={OutChannels},k={Kernel}{(Stride != 1 ? $",s={Stride}" : "")}{(Padding != 0 ? $",p={Padding}" : "")}"
        + $"{(Groups != 1 ? $",g={Groups}" : "")}{(Bias ? "" : ",bias=false")})";

    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireImage(input);
        if (input.Channels % Groups != 0 || OutChannels % Groups != 0)
            throw new LayerProblem($"g={Groups} does not divide the {input.Channels} input and {OutChannels} output channels (torch.nn.Conv2d needs both to be multiples of groups)");
        int height = input.Height + 2 * Padding, width = input.Width + 2 * Padding;
        if (Kernel > height || Kernel > width)
            throw new LayerProblem(Padding == 0
                ? $"kernel {Kernel} is larger than its {input.Height}x{input.Width} input"
                : $"kernel {Kernel} is larger than its {input.Height}x{input.Width} input padded to {height}x{width}");
        // PyTorch's floor((H + 2p - k) / s) + 1.
        return ActivationShape.Image(OutChannels, (height - Kernel) / Stride + 1, (width - Kernel) / Stride + 1);
    }

    /// <summary>Input channels each output channel sees: in/g.</summary>
    public int InputsPerGroup(ActivationShape input) => input.Channels / Groups;

    public override long Parameters(ActivationShape input) =>
        (long)OutChannels * InputsPerGroup(input) * Kernel * Kernel + (Bias ? OutChannels : 0);

    public override long MultiplyAdds(ActivationShape input)
    {
        var output = OutputShape(input);
        return (long)output.Size * InputsPerGroup(input) * Kernel * Kernel;
    }
}
