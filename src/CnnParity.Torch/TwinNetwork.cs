using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.Architecture;
using CnnParity.Core.Scratch;
using CnnParity.Torch.Twin;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace CnnParity.Torch;

/// <summary>The layer outputs of one forward pass, all in TorchSharp's layout (NCHW, kernel-major flatten).</summary>
public sealed record TwinActivations(Tensor ConvOutput, Tensor Tanh, Tensor Dropped, Tensor Logits);

/// <summary>
/// The TorchSharp twin of the from-scratch network: Conv2d(1, K, 3, bias: false) → crop to the grid → tanh
/// → × the dropout mask (values 0 or 2) → flatten → Linear(hidden, 10, bias: false).
/// Mirrors torch.nn.Conv2d (https://pytorch.org/docs/stable/generated/torch.nn.Conv2d.html) and
/// torch.nn.Linear; the weights are copied in from the from-scratch model through <see cref="NotebookLayout"/>.
/// </summary>
public sealed class TwinNetwork : nn.Module<Tensor, Tensor>
{
    readonly Conv2d conv;
    readonly Linear dense;
    public NotebookLayout Layout { get; }
    public ScalarType DType { get; }

    public TwinNetwork(NotebookLayout layout, ScalarType dtype) : base(nameof(TwinNetwork))
    {
        Layout = layout;
        DType = dtype;
        // TorchSharp's Conv2d constructor can leave a temporary of its initialisation undisposed (with a bias it does):
        // built in a scope, as SpecTwin builds its modules, any such temporary is freed now. The modules' parameters
        // are not the scope's to free.
        using (NewDisposeScope())
        {
            conv = nn.Conv2d(1, layout.NumKernels, ScratchConfig.KernelSide, bias: false, dtype: dtype);
            dense = nn.Linear(layout.Hidden, ArchitectureSpec.Classes, hasBias: false, dtype: dtype);
        }
        RegisterComponents();
    }

    public Parameter ConvWeight => conv.weight!;
    public Parameter LinearWeight => dense.weight!;

    /// <summary>Copies the from-scratch weights in (float64 values; rounded once if the twin is float32).</summary>
    public void LoadScratchWeights(ReadOnlySpan<double> kernels, ReadOnlySpan<double> weightsOneTwo)
    {
        using var _ = no_grad();
        using var k = tensor(Layout.ConvWeightFromKernels(kernels), new long[] { Layout.NumKernels, 1, ScratchConfig.KernelSide, ScratchConfig.KernelSide }, float64);
        using var w = tensor(Layout.LinearWeightFromDense(weightsOneTwo), new long[] { ArchitectureSpec.Classes, Layout.Hidden }, float64);
        conv.weight!.copy_(k);
        dense.weight!.copy_(w);
    }

    /// <summary>The current weights in the from-scratch layout, as float64.</summary>
    public (double[] Kernels, double[] WeightsOneTwo) ExportScratchWeights()
    {
        using var scope = NewDisposeScope(); // to_type may create intermediates: free them now, not at finalisation
        using var _ = no_grad();
        using var k = conv.weight!.to_type(float64).contiguous();
        using var w = dense.weight!.to_type(float64).contiguous();
        return (Layout.KernelsFromConvWeight(k.data<double>().ToArray()), Layout.DenseFromLinearWeight(w.data<double>().ToArray()));
    }

    /// <summary>(B, 1, 28, 28) in this twin's dtype, from B·784 values x/255.</summary>
    public Tensor Images(ReadOnlySpan<double> images, int batch) => SpecLayout.Images(images, batch, DType);

    /// <summary>The from-scratch 0/1 mask (B x hidden), permuted to (B, K, G, G) and scaled by 2, as the book scales it, in this twin's dtype.</summary>
    public Tensor DropoutScale(ReadOnlySpan<double> mask, int batch)
    {
        var torchOrder = Layout.HiddenToTorch(mask);
        for (int i = 0; i < torchOrder.Length; i++) torchOrder[i] *= 2;
        return SpecLayout.ToTorch(torchOrder, [batch, Layout.NumKernels, Layout.Grid, Layout.Grid], DType);
    }

    /// <summary>Logits without dropout (the test pass).</summary>
    public override Tensor forward(Tensor images) => Forward(images, null).Logits;

    /// <param name="images">(B, 1, 28, 28) in this twin's dtype</param>
    /// <param name="dropoutScale">(B, K, G, G) mask already multiplied by 2, or null for no dropout</param>
    public TwinActivations Forward(Tensor images, Tensor? dropoutScale)
    {
        var convOutput = conv.forward(images);
        int g = Layout.Grid;
        // The book's 25x25 grid stops one position short of the full 26x26 convolution.
        if (convOutput.shape[2] != g)
            convOutput = convOutput[.., .., ..g, ..g];
        var tanh = convOutput.tanh();
        var dropped = dropoutScale is null ? tanh : tanh * dropoutScale;
        var logits = dense.forward(dropped.flatten(1));
        return new TwinActivations(convOutput, tanh, dropped, logits);
    }
}
