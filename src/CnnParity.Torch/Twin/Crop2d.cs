using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Torch.Twin;

/// <summary>
/// Keeps the top-left <see cref="Side"/> x <see cref="Side"/> of each plane: the ch10 preset's <c>crop</c>, which
/// PyTorch writes as the slice <c>x[:, :, :side, :side]</c> (the book's grid stops one position short of 26).
/// </summary>
public sealed class Crop2d : nn.Module<Tensor, Tensor>
{
    public int Side { get; }

    public Crop2d(string name, int side) : base(name) => Side = side;

    public override Tensor forward(Tensor input) => input[.., .., ..Side, ..Side];
}
