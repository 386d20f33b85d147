using TorchSharp.Modules;
using static TorchSharp.torch;

namespace PortCheck;

/// <summary>
/// The TorchSharp port of pytorch/lenet5.py. Fields carry the PyTorch attribute names, so the state_dict keys
/// (conv1.weight, fc3.bias, ...) and the forward hooks' names are the same on both sides. Submodules are invoked
/// with call(x) — PyTorch's module(x) — so that hooks see them.
/// </summary>
public sealed class LeNet5 : nn.Module<Tensor, Tensor>
{
    private readonly Conv2d conv1;
    private readonly ReLU act1 = nn.ReLU();
    private readonly MaxPool2d pool1 = nn.MaxPool2d(2);
    private readonly Conv2d conv2 = nn.Conv2d(6, 16, 5);
    private readonly ReLU act2 = nn.ReLU();
    private readonly MaxPool2d pool2 = nn.MaxPool2d(2);
    private readonly Flatten flatten = nn.Flatten();
    private readonly Linear fc1 = nn.Linear(16 * 5 * 5, 120);
    private readonly ReLU act3 = nn.ReLU();
    private readonly Linear fc2 = nn.Linear(120, 84);
    private readonly ReLU act4 = nn.ReLU();
    private readonly Linear fc3 = nn.Linear(84, 10);

    /// <param name="conv1Padding">2, as in lenet5.py; the broken-port test passes 1</param>
    public LeNet5(long conv1Padding = 2) : base(nameof(LeNet5))
    {
        conv1 = nn.Conv2d(1, 6, 5, padding: conv1Padding);
        RegisterComponents();
    }

    public override Tensor forward(Tensor x)
    {
        x = pool1.call(act1.call(conv1.call(x)));
        x = pool2.call(act2.call(conv2.call(x)));
        x = act3.call(fc1.call(flatten.call(x)));
        x = act4.call(fc2.call(x));
        return fc3.call(x);
    }
}
