namespace CnnParity.Core.Architecture;

/// <summary>
/// <c>dense(N[,bias=true|false])</c>: torch.nn.Linear(in, N, bias) (https://pytorch.org/docs/stable/generated/torch.nn.Linear.html),
/// weight N x in. Takes a vector: an image must be flattened first.
/// </summary>
public sealed record DenseSpec(int Outputs, bool Bias = true) : LayerSpec
{
    public override string Keyword => "dense";

    public override string Text => Bias ? $"dense({Outputs})" : $"dense({Outputs},bias=false)";

    public override ActivationShape OutputShape(ActivationShape input)
    {
        if (!input.IsVector)
            throw new LayerProblem($"dense needs a vector, but its input is the image {input}: put flatten before it");
        return ActivationShape.Vector(Outputs);
    }

    public override long Parameters(ActivationShape input) => (long)Outputs * input.Channels + (Bias ? Outputs : 0);

    public override long MultiplyAdds(ActivationShape input) => (long)Outputs * input.Channels;
}
