using static TorchSharp.torch;

namespace CnnParity.Testing;

/// <summary>
/// One side of a golden comparison in one precision: the recorded forward and backward pass, then the K training
/// steps (each step's loss, and its parameters — and buffers, in train mode — after it). Owns its tensors.
/// </summary>
internal sealed class RunRecord(ForwardTrace forward) : IDisposable
{
    public ForwardTrace Forward { get; } = forward;

    public List<StepRecord> Steps { get; } = [];

    /// <summary>Why the steps stopped early (a step threw), or null.</summary>
    public string? StepFailure { get; set; }

    public void Dispose()
    {
        Forward.Dispose();
        foreach (var s in Steps) s.Dispose();
    }
}

/// <summary>One training step: the loss before it, and every parameter (and buffer, in train mode) after it.</summary>
internal sealed record StepRecord(Tensor Loss, List<(string Name, Tensor Value)> Values) : IDisposable
{
    /// <summary>
    /// Elements of this step's forward outputs that this side's float32 put on the other side of a kink than its
    /// float64 did (see <see cref="TruthJudge.Flips"/>): the gradients of this step and later ones may move by them.
    /// </summary>
    public long DecidedByRounding { get; set; }

    /// <summary>This step's forward outputs, kept from a float64 run until the float32 run has counted its flips against them.</summary>
    public List<(string Name, Tensor Output)>? Outputs { get; set; }

    public void Dispose()
    {
        Loss.Dispose();
        foreach (var (_, t) in Values) t.Dispose();
        DisposeOutputs();
    }

    public void DisposeOutputs()
    {
        foreach (var (_, t) in Outputs ?? []) t.Dispose();
        Outputs = null;
    }
}
