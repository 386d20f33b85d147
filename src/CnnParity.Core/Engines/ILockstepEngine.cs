using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines;

/// <summary>
/// A from-scratch run that a twin can follow batch by batch (lockstep): it says after every step which images and which
/// dropout masks it took (<see cref="BatchCompleted"/>), and gives its weights as the spec's state_dict, whatever layout it
/// trains in. The generic <see cref="SpecTrainer"/> is one; the chapter-10 engines (<see cref="Chapter10.Chapter10Engine"/>,
/// NumPy's bits) the other.
/// </summary>
public interface ILockstepEngine : ITrainingEngine
{
    /// <summary>The network it trains.</summary>
    ArchitectureSpec Spec { get; }

    /// <summary>The weights the run started from, in float64 (the spec's layout).</summary>
    ParameterSet<double> InitialParameters { get; }

    /// <summary>The current weights, widened to float64, in the spec's layout (a copy).</summary>
    ParameterSet<double> CurrentParameters();

    /// <summary>Called after each training batch's step with its epoch, index, loss (before the step), masks (the spec's layout) and the epoch's order.</summary>
    Action<SpecBatchStep>? BatchCompleted { get; set; }
}
