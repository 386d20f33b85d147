namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>conv(c=OUT,k=K[,s=STRIDE][,p=PAD][,bias=true|false])</c>: torch.nn.Conv2d(in, OUT, K, stride, padding, bias=bias)
/// (https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html), square kernel, zero padding on every side.
/// </summary>
public sealed record Conv2dSpec(int OutChannels, int Kernel, int Stride = 1, int Padding = 0, bool Bias = true) : LayerSpec
{
    public override string Keyword => "conv";

    public override string Text =>
        $"conv(c={OutChannels},k={Kernel}{(Stride != 1 ? $",s={Stride}" : "")}{(Padding != 0 ? $",p={Padding}" : "")}{(Bias ? "" : ",bias=false")})";

    public override ActivationShape OutputShape(ActivationShape input)
    {
        RequireImage(input);
        int height = input.Height + 2 * Padding, width = input.Width + 2 * Padding;
        if (Kernel > height || Kernel > width)
            throw new LayerProblem(Padding == 0
                ? $"kernel {Kernel} is larger than its {input.Height}x{input.Width} input"
                : $"kernel {Kernel} is larger than its {input.Height}x{input.Width} input padded to {height}x{width}");
        // PyTorch's floor((H + 2p - k) / s) + 1.
        return ActivationShape.Image(OutChannels, (height - Kernel) / Stride + 1, (width - Kernel) / Stride + 1);
    }

    public override long Parameters(ActivationShape input) =>
        (long)OutChannels * input.Channels * Kernel * Kernel + (Bias ? OutChannels : 0);

    public override long MultiplyAdds(ActivationShape input)
    {
        var output = OutputShape(input);
        return (long)output.Size * input.Channels * Kernel * Kernel;
    }
}
