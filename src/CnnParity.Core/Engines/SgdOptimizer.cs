using System.Numerics;

namespace CnnParity.Core.Engines;

/// <summary>
/// torch.optim.SGD (https://pytorch.org/docs/stable/generated/torch.optim.SGD.html) with dampening 0 and no Nesterov,
/// element by element:
/// <code>
/// weight decay:  g = g + wd·p   (only when wd != 0, as torch.optim.SGD skips it)
/// momentum = 0:  p = p - lr·g
/// otherwise:     buf = g on the first step, then buf = momentum·buf + g;   p = p - lr·buf
/// </code>
/// each product and difference rounded on its own in T (no fused multiply-add, as NumPy computes it), with lr and
/// momentum and wd rounded once to T. One momentum buffer per parameter, kept from step to step.
/// </summary>
public sealed class SgdOptimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _momentum;
    private readonly T _weightDecay;
    private ParameterSet<T>? _decayed;
    private T _learningRate;
    private double _learningRateValue;
    private T[][]? _buffers;

    public SgdOptimizer(double learningRate, double momentum, double weightDecay = 0)
    {
        if (!double.IsFinite(weightDecay) || weightDecay < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(weightDecay), weightDecay, "the weight decay must be a number >= 0");
        }
        WeightDecay = weightDecay;
        _weightDecay = T.CreateTruncating(weightDecay);
        if (!double.IsFinite(momentum) || momentum < 0 || momentum >= 1)
        {
            throw new ArgumentOutOfRangeException(nameof(momentum), momentum, "the momentum must be in [0, 1)");
        }
        LearningRate = learningRate; // the setter refuses a rate that is not a positive number
        Momentum = momentum;
        _momentum = T.CreateTruncating(momentum);
    }

    /// <summary>The step size, rounded once to T; a schedule (<see cref="SpecTrainerOptions.LearningRateDecay"/>) sets it between epochs.</summary>
    public double LearningRate
    {
        get => _learningRateValue;
        set
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the learning rate must be a positive number");
            }
            _learningRateValue = value;
            _learningRate = T.CreateTruncating(value);
        }
    }

    public double Momentum { get; }

    /// <summary>L2 weight decay: wd·p is added to the gradient (0: none).</summary>
    public double WeightDecay { get; }

    /// <summary>Steps taken.</summary>
    public int Steps { get; private set; }

    /// <summary>Updates <paramref name="parameters"/> in place from <paramref name="gradients"/>.</summary>
    public void Step(ParameterSet<T> parameters, ParameterSet<T> gradients)
    {
        int count = parameters.Specs.Count;
        if (gradients.Specs.Count != count)
        {
            throw new ArgumentException("the gradients are for another spec", nameof(gradients));
        }
        if (WeightDecay != 0)
        {
            gradients = Decayed(parameters, gradients);
        }
        if (Momentum != 0 && _buffers is null)
        {
            _buffers = new T[count][];
            for (int i = 0; i < count; i++)
            {
                _buffers[i] = (T[])gradients[i].Clone();
            }
        }
        else if (_buffers is not null)
        {
            for (int i = 0; i < count; i++)
            {
                T[] buf = _buffers[i], g = gradients[i];
                for (int j = 0; j < buf.Length; j++)
                {
                    buf[j] = _momentum * buf[j] + g[j];
                }
            }
        }
        for (int i = 0; i < count; i++)
        {
            T[] p = parameters[i], d = _buffers is null ? gradients[i] : _buffers[i];
            if (p.Length != d.Length)
            {
                throw new ArgumentException($"{parameters.Specs[i].Name}: {p.Length} values, gradient of {d.Length}", nameof(gradients));
            }
            for (int j = 0; j < p.Length; j++)
            {
                p[j] -= _learningRate * d[j];
            }
        }
        Steps++;
    }

    // grad.add(param, alpha=weight_decay): g + wd·p, into buffers of the optimizer's own (the caller's gradients stay as they are).
    private ParameterSet<T> Decayed(ParameterSet<T> parameters, ParameterSet<T> gradients)
    {
        var decayed = _decayed ??= ParameterSet<T>.Zeros(parameters.Spec);
        for (int i = 0; i < parameters.Specs.Count; i++)
        {
            T[] p = parameters[i], g = gradients[i], d = decayed[i];
            for (int j = 0; j < d.Length; j++)
            {
                d[j] = g[j] + _weightDecay * p[j];
            }
        }
        return decayed;
    }
}
