using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// A model <see cref="Lockstep"/> can train: a TorchSharp module (<see cref="Lockstep.Sgd"/>), a golden file's
/// recorded steps, or your own from-scratch code behind these two members.
/// </summary>
public interface ILockstepModel
{
    /// <summary>Takes one training step on the batch and returns the loss computed before the update.</summary>
    double Step(Tensor input, Tensor target);

    /// <summary>The current parameters by name (PyTorch's <c>named_parameters()</c> names), in a fixed order.</summary>
    IReadOnlyList<(string Name, Tensor Value)> Parameters();
}
