using System.Numerics;

namespace CnnParity.Core.Engines;

/// <summary>An optimizer of the engine: one step from a batch's gradients, the learning rate set between epochs by a schedule.</summary>
public interface IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The step size; a schedule (<see cref="SpecTrainerOptions.LearningRateDecay"/>) sets it between epochs.</summary>
    double LearningRate { get; set; }

    /// <summary>Steps taken.</summary>
    int Steps { get; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/> (which it leaves as they are).</summary>
    void Step(ParameterSet<T> parameters, ParameterSet<T> gradients);
}

/// <summary>The engine's optimizer for a run's <see cref="OptimizerSettings"/>.</summary>
public static class Optimizers
{
    /// <summary>torch.optim.SGD, Adam or AdamW as <paramref name="options"/> asks, at its first epoch's learning rate.</summary>
    public static IOptimizer<T> Create<T>(SpecTrainerOptions options)
        where T : unmanaged, IFloatingPointIeee754<T>
    {
        var o = options.Optimizer;
        return o.IsAdam
            ? new AdamOptimizer<T>(options.LearningRate, o)
            : new SgdOptimizer<T>(options.LearningRate, options.Momentum, o.WeightDecay);
    }
}
