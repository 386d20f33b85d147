using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnParity.Torch;

/// <summary>
/// The same architecture written as a PyTorch user would: TorchSharp's default initialisation, nn.Dropout(0.5)
/// (which also scales kept units by 2), bias-free Conv2d and Linear. An accuracy reference, not a parity one:
/// its weights and masks come from TorchSharp's own generator.
/// </summary>
public sealed class IdiomaticNetwork : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv;
    readonly Dropout dropout;
    readonly Linear dense;
    readonly int grid;

    public IdiomaticNetwork(int numKernels, int grid, ScalarType dtype) : base(nameof(IdiomaticNetwork))
    {
        this.grid = grid;
        // Built in a scope, as SpecTwin builds its modules: see TwinNetwork.
        using (NewDisposeScope())
        {
            conv = nn.Conv2d(1, numKernels, ScratchConfig.KernelSide, bias: false, dtype: dtype);
            dropout = nn.Dropout(0.5);
            dense = nn.Linear(grid * grid * numKernels, ArchitectureSpec.Classes, hasBias: false, dtype: dtype);
        }
        RegisterComponents();
    }

    public override Tensor forward(Tensor images)
    {
        var x = conv.forward(images);
        if (x.shape[2] != grid) x = x[.., .., ..grid, ..grid];
        return dense.forward(dropout.forward(x.tanh()).flatten(1));
    }
}
