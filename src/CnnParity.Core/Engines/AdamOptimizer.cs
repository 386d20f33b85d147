using System.Numerics;

namespace CnnParity.Core.Engines;

/// <summary>
/// torch.optim.Adam and torch.optim.AdamW (https://pytorch.org/docs/stable/generated/torch.optim.Adam.html, amsgrad and
/// maximize off) in the operation order of PyTorch 1.13's <c>_single_tensor_adam</c>/<c>_single_tensor_adamw</c> and of
/// TorchSharp's optimizers (the twin's), element by element at step t (PyTorch 2.x writes the first moment as
/// <c>exp_avg.lerp_(grad, 1-beta1)</c>: the same value, rounded otherwise):
/// <code>
/// AdamW:         p = p·(1 - lr·wd)                        (the factor in double, then rounded to T)
/// Adam, wd != 0: g = g + wd·p
/// m = m·β1 + (1-β1)·g                                    exp_avg.mul_(beta1).add_(grad, alpha=1-beta1)
/// v = v·β2 + ((1-β2)·g)·g                                exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2)
/// denom = sqrt(v) / sqrt(1-β2^t) + eps                   eps after the square root of the bias-corrected v
/// p = p + (-(lr / (1-β1^t))·m) / denom                   param.addcdiv_(exp_avg, denom, value=-step_size)
/// </code>
/// The bias corrections and the step size are computed in double (Python floats), each scalar then rounded once to T as
/// ATen casts a Python scalar to the tensor's dtype; each product, quotient and sum rounded on its own in T (no fused
/// multiply-add). The moments start at zero and are kept per parameter from step to step; no threads, so the same bits
/// at any thread count.
/// </summary>
public sealed class AdamOptimizer<T> : IOptimizer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly T _beta1, _beta2, _oneMinusBeta1, _oneMinusBeta2, _eps, _weightDecay;
    private double _learningRate;
    private T[][]? _expAvg, _expAvgSq;

    public AdamOptimizer(double learningRate, OptimizerSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (!settings.IsAdam)
        {
            throw new ArgumentException("the settings are SGD's", nameof(settings));
        }
        settings.Validate();
        Settings = settings;
        LearningRate = learningRate;
        _beta1 = T.CreateTruncating(settings.Beta1);
        _beta2 = T.CreateTruncating(settings.Beta2);
        _oneMinusBeta1 = T.CreateTruncating(1 - settings.Beta1);
        _oneMinusBeta2 = T.CreateTruncating(1 - settings.Beta2);
        _eps = T.CreateTruncating(settings.Eps);
        _weightDecay = T.CreateTruncating(settings.WeightDecay);
    }

    /// <summary>Adam or AdamW, with β1, β2, eps and the weight decay.</summary>
    public OptimizerSettings Settings { get; }

    public double LearningRate
    {
        get => _learningRate;
        set
        {
            if (!double.IsFinite(value) || value <= 0)
            {
                throw new ArgumentOutOfRangeException(nameof(value), value, "the learning rate must be a positive number");
            }
            _learningRate = value;
        }
    }

    public int Steps { get; private set; }

    public void Step(ParameterSet<T> parameters, ParameterSet<T> gradients)
    {
        int count = parameters.Specs.Count;
        if (gradients.Specs.Count != count)
        {
            throw new ArgumentException("the gradients are for another spec", nameof(gradients));
        }
        _expAvg ??= parameters.Specs.Select(p => new T[p.Size]).ToArray();
        _expAvgSq ??= parameters.Specs.Select(p => new T[p.Size]).ToArray();
        int t = Steps + 1;
        double wd = Settings.WeightDecay;
        // Python floats: beta ** step, 1 - that, lr / bias_correction1, math.sqrt(bias_correction2).
        double biasCorrection1 = 1 - Math.Pow(Settings.Beta1, t);
        double biasCorrection2 = 1 - Math.Pow(Settings.Beta2, t);
        T stepSize = T.CreateTruncating(-(_learningRate / biasCorrection1));
        T biasCorrection2Sqrt = T.CreateTruncating(Math.Sqrt(biasCorrection2));
        T decayFactor = T.CreateTruncating(1 - _learningRate * wd);
        bool decoupled = Settings.Kind == OptimizerKind.AdamW;
        for (int i = 0; i < count; i++)
        {
            T[] p = parameters[i], g = gradients[i], m = _expAvg[i], v = _expAvgSq[i];
            if (p.Length != g.Length)
            {
                throw new ArgumentException($"{parameters.Specs[i].Name}: {p.Length} values, gradient of {g.Length}", nameof(gradients));
            }
            for (int j = 0; j < p.Length; j++)
            {
                T grad = g[j];
                if (decoupled)
                {
                    p[j] *= decayFactor;
                }
                else if (wd != 0)
                {
                    grad += _weightDecay * p[j];
                }
                m[j] = m[j] * _beta1 + _oneMinusBeta1 * grad;
                v[j] = v[j] * _beta2 + _oneMinusBeta2 * grad * grad;
                T denom = T.Sqrt(v[j]) / biasCorrection2Sqrt + _eps;
                p[j] += stepSize * m[j] / denom;
            }
        }
        Steps++;
    }
}
