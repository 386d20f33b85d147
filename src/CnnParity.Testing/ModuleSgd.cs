using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>A module trained by plain SGD, p ← p − lr·∂L/∂p, as torch.optim.SGD without momentum or weight decay does it.</summary>
internal sealed class ModuleSgd(nn.Module<Tensor, Tensor> module, Func<Tensor, Tensor, Tensor> loss, double learningRate) : ILockstepModel
{
    public double Step(Tensor input, Tensor target)
    {
        using var scope = NewDisposeScope();
        module.zero_grad();
        var l = loss(module.call(input), target);
        l.backward();
        using (no_grad())
            foreach (var p in module.parameters())
                if (p.grad is not null)
                    p.sub_(p.grad * learningRate);
        return l.to_type(ScalarType.Float64).item<double>();
    }

    public IReadOnlyList<(string Name, Tensor Value)> Parameters() =>
        [.. module.named_parameters().Select(p => (p.name, (Tensor)p.parameter))];
}
