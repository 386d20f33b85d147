namespace CnnParity.Core.Architecture;

/// <summary>
/// One layer as the spec names it. Each kind knows its grammar word, its canonical text, and what it does to a
/// shape; a kind that cannot take its input says why by throwing <see cref="LayerProblem"/>, which
/// <see cref="ArchitectureSpec"/> turns into one line naming the layer's position and text.
/// </summary>
public abstract record LayerSpec
{
    /// <summary>The grammar word: conv, maxpool, avgpool, gap, tanh, relu, relu6, sigmoid, dropout, flatten, dense, gap, batchnorm.</summary>
    public abstract string Keyword { get; }

    /// <summary>The canonical text (defaults left out), which parses back to an equal layer.</summary>
    public abstract string Text { get; }

    /// <summary>The shape this layer gives one image of <paramref name="input"/>, or a <see cref="LayerProblem"/>.</summary>
    public abstract ActivationShape OutputShape(ActivationShape input);

    /// <summary>Trainable values (weights and biases) for this input.</summary>
    public virtual long Parameters(ActivationShape input) => 0;

    /// <summary>Multiply-adds of one image's forward pass (convolutions and dense layers; 0 for the rest).</summary>
    public virtual long MultiplyAdds(ActivationShape input) => 0;

    public sealed override string ToString() => Text;

    /// <summary>Throws a <see cref="LayerProblem"/> unless <paramref name="input"/> is an image.</summary>
    protected void RequireImage(ActivationShape input)
    {
        if (input.IsVector)
            throw new LayerProblem($"{Keyword} needs an image (channels x height x width), but its input is a vector of {input.Channels}: flatten comes after the image layers");
    }
}

/// <summary>Why a layer cannot take its input (without the position, which the spec adds).</summary>
public sealed class LayerProblem(string message) : Exception(message);
