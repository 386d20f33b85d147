using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PortCheck;

/// <summary>
/// The TorchSharp port of pytorch/convbn.py: a convolution, batch norm, ReLU, max-pool and a linear layer, with
/// the PyTorch attribute names as fields.
/// </summary>
public sealed class ConvBN : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1 = nn.Conv2d(1, 4, 3, padding: 1);
    private readonly BatchNorm2d bn1;
    private readonly ReLU act1 = nn.ReLU();
    private readonly MaxPool2d pool1 = nn.MaxPool2d(2);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc = nn.Linear(4 * 14 * 14, 10);

    /// <param name="momentum">0.1, as PyTorch's default (running = (1 − m)·running + m·batch); the broken-port test passes 0.9</param>
    public ConvBN(double momentum = 0.1) : base(nameof(ConvBN))
    {
        bn1 = nn.BatchNorm2d(4, momentum: momentum);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x) =>
        fc.call(flatten.call(pool1.call(act1.call(bn1.call(conv1.call(x))))));
}
