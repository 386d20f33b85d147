using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Core.NumPy;
using CnnParity.Torch.Twin;
using static TorchSharp.torch;

namespace CnnParity.Torch.Tests.Twin;

/// <summary>
/// relu6 at and around both kinks (0 and 6), where the network tests' small activations never reach 6: the engine's layer
/// (<see cref="OpReference"/>), its float64 reference and the twin's module (torch.nn.ReLU6) against LibTorch's autograd,
/// bit for bit in float64. At a kink the gradient is 0, as hardtanh_backward's.
/// </summary>
public class ReLU6Tests
{
    [Fact]
    public void Engine_reference_and_twin_module_give_LibTorchs_values_and_gradients()
    {
        var random = new NumPyRandomState(3);
        double[] x =
        [
            -2, -0.0, 0, double.Epsilon, 3, Math.BitDecrement(6), 6, Math.BitIncrement(6), 9,
            .. Enumerable.Range(0, 55).Select(_ => 12 * random.RandomSample() - 3),
        ];
        double[] dy = [.. x.Select(_ => 2 * random.RandomSample() - 1)];
        var op = new OpReference(new ActivationSpec(ActivationKind.ReLU6), ActivationShape.Image(1, 8, 8), batch: 1);

        using var scope = NewDisposeScope();
        var input = tensor(x, [1, 1, 8, 8], float64).requires_grad_();
        using var twin = new SpecTwin(ArchitectureSpec.Parse("relu6 flatten dense(10)"), float64);
        var y = ((nn.Module<Tensor, Tensor>)twin.named_children().First().module).call(input);
        y.backward([tensor(dy, [1, 1, 8, 8], float64)]);
        double[] torchY = y.data<double>().ToArray(), torchDx = input.grad!.data<double>().ToArray();

        Assert.Equal(Bits(torchY), Bits(op.Forward(x, [])));
        Assert.Equal(Bits(torchDx), Bits(op.InputGradient(x, [], dy)));
        var rounding = op.Rounding([]);
        var pass = rounding.Forward(x, 1, masks: null);
        Assert.Equal(Bits(torchY), Bits(pass.Output(0).Value));
        Assert.Equal(Bits(torchDx), Bits(rounding.Backward(pass, Carried.Exact(dy)).Input.Value));
        // The cases above are at the kinks: -0, 0 and 6 and beyond stop the gradient; the least positive value and 6⁻ pass it.
        Assert.Equal([0.0, 0.0, dy[3], dy[5], 0.0, 0.0], [torchDx[1], torchDx[2], torchDx[3], torchDx[5], torchDx[6], torchDx[7]]);
    }

    static long[] Bits(double[] values) => [.. values.Select(BitConverter.DoubleToInt64Bits)];
}
