using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// One forward and backward pass, recorded: every named submodule's output in the order the submodules finished
/// (forward hooks fire on completion, so a container follows its children), the loss, and every named
/// parameter's gradient. The tensors are detached copies the trace owns; dispose it when done.
/// </summary>
internal sealed class ForwardTrace : IDisposable
{
    public List<(string Name, Tensor Output)> Outputs { get; } = [];
    public Tensor? Loss { get; set; }
    public List<(string Name, Tensor? Gradient)> Gradients { get; } = [];

    /// <summary>Why the pass stopped early (the forward or backward threw), or null.</summary>
    public string? Failure { get; set; }

    /// <summary>Submodules the hooks could not see, with the reason.</summary>
    public List<string> Unobserved { get; } = [];

    public static ForwardTrace Record(nn.Module<Tensor, Tensor> module, Tensor input, Func<Tensor, Tensor>? loss)
    {
        var trace = new ForwardTrace();
        var removers = new List<nn.HookableModule<Func<nn.Module<Tensor, Tensor>, Tensor, Tensor>,
            Func<nn.Module<Tensor, Tensor>, Tensor, Tensor, Tensor>>.HookRemover>();
        var calls = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var (name, submodule) in module.named_modules())
        {
            if (name.Length == 0) continue;
            if (submodule is not nn.Module<Tensor, Tensor> hookable)
            {
                trace.Unobserved.Add($"{name} ({submodule.GetType().Name}) does not map one tensor to one tensor; its output is not compared");
                continue;
            }
            removers.Add(hookable.register_forward_hook((_, _, output) =>
            {
                // A submodule called twice (a shared activation) is compared call by call: relu, relu#2, ...
                int n = calls[name] = calls.GetValueOrDefault(name) + 1;
                trace.Outputs.Add((n == 1 ? name : $"{name}#{n}", Keep(output)));
                return output;
            }));
        }
        try
        {
            using var scope = NewDisposeScope();
            module.zero_grad();
            var output = module.call(input.detach().clone());
            var l = loss is null ? output.sum() : loss(output);
            trace.Loss = Keep(l);
            l.backward();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            trace.Failure = $"{e.GetType().Name}: {e.Message.Split('\n')[0].Trim()}";
        }
        finally
        {
            foreach (var r in removers) r.remove();
        }
        if (trace.Failure is null)
            foreach (var (name, p) in module.named_parameters())
                trace.Gradients.Add((name, p.grad is null ? null : Keep(p.grad)));
        return trace;
    }

    static Tensor Keep(Tensor t) => t.detach().clone().DetachFromDisposeScope();

    public void Dispose()
    {
        foreach (var (_, t) in Outputs) t.Dispose();
        Loss?.Dispose();
        foreach (var (_, g) in Gradients) g?.Dispose();
    }
}
