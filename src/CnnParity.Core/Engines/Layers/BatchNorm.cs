using System.Numerics;
using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// torch.nn.BatchNorm2d / BatchNorm1d as LibTorch's CPU kernels compute them (aten/src/ATen/native/Normalization.cpp),
/// per channel c over its N = B·H·W values (B for a vector):
/// <code>
/// train     mean = (Σ over (b, i) in order of x) / N;   varSum = Σ over (b, i) in order of (x - mean)²
///           invstd = 1 / √(varSum / N + eps);   running_mean = momentum·mean + (1 - momentum)·running_mean
///           running_var = momentum·varSum / (N - 1) + (1 - momentum)·running_var;   num_batches_tracked += 1
/// eval      mean = running_mean;   invstd = 1 / √(running_var + eps)
/// forward   α = invstd·γ;   β' = β - mean·α;   y = x·α + β'
/// backward  sumDy = Σ over (b, i) in order of dy;   dotp = Σ over (b, i) in order of (x - mean)·dy
///           train: k = dotp·invstd·invstd / N;   dx = (dy - (x - mean)·k - sumDy / N)·invstd·γ
///           eval:  dx = dy·invstd·γ
///           dγ = dotp·invstd;   dβ = sumDy
/// </code>
/// Every statistic (mean, varSum, invstd, the running statistics, sumDy, dotp, k) is computed in float64 and rounded
/// once to T, as LibTorch's kernels accumulate a float tensor in double (<c>acc_type&lt;float&gt;</c>): a float32 sum of
/// thousands of equal values (a bias over an image's empty background) drifts one way, far beyond its random-walk
/// estimate. In float64 nothing changes. The statistics need the whole batch, so the network runs the layers before this one over every image first
/// (<see cref="NeedsWholeBatch"/>) and the statistics are taken single-threaded, channel after channel: the same bits at
/// any thread count. Training or evaluation follows the pass (<see cref="BindMasks"/>: masks given, training). The backward
/// pass takes its mean and invstd again from the pass's input, so it never depends on another pass run in between.
/// </summary>
internal sealed unsafe class BatchNorm<T> : EngineLayer<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    private readonly int _c, _plane;
    private readonly T _eps, _momentum;
    private readonly string _weightName, _biasName;
    private readonly T[] _mean, _invstd, _alpha, _beta, _k, _sumDy, _dotp, _dGamma;
    private T* _gamma, _shift;
    private bool _training;
    private T _n; // N of the pass being differentiated

    public BatchNorm(SpecLayer layer, BatchNormSpec spec) : base(layer)
    {
        _c = layer.Input.Channels;
        _plane = layer.Input.IsVector ? 1 : layer.Input.Height * layer.Input.Width;
        _eps = T.CreateChecked(spec.Eps);
        _momentum = T.CreateChecked(spec.Momentum);
        _weightName = $"{layer.Name}.weight";
        _biasName = $"{layer.Name}.bias";
        (_mean, _invstd, _alpha, _beta, _k, _sumDy, _dotp, _dGamma) = (new T[_c], new T[_c], new T[_c], new T[_c], new T[_c], new T[_c], new T[_c], new T[_c]);
        RunningMean = PinnedArray.Allocate<T>(_c);
        RunningVar = PinnedArray.Allocate<T>(_c);
        RunningVar.AsSpan().Fill(T.One);
    }

    /// <summary>running_mean, updated by every training pass.</summary>
    public T[] RunningMean { get; }

    /// <summary>running_var (unbiased), updated by every training pass.</summary>
    public T[] RunningVar { get; }

    /// <summary>num_batches_tracked.</summary>
    public long BatchesTracked { get; set; }

    public override bool NeedsWholeBatch => true;

    public override void Bind(ParameterSet<T> parameters)
    {
        _gamma = PinnedArray.Address(parameters[_weightName]);
        _shift = PinnedArray.Address(parameters[_biasName]);
    }

    public override void BindMasks(DropoutMasks? masks, int batch) => _training = masks is not null;

    public override void BeginForward(T* input, int batch)
    {
        Statistics(input, batch);
        for (int c = 0; c < _c; c++)
        {
            _alpha[c] = _invstd[c] * _gamma[c];
            _beta[c] = _shift[c] - _mean[c] * _alpha[c];
        }
        if (!_training)
        {
            return;
        }
        double n = batch * _plane, momentum = double.CreateTruncating(_momentum), keep = 1 - momentum;
        for (int c = 0; c < _c; c++)
        {
            double varSum = VarSum(input, batch, c, double.CreateTruncating(_mean[c]));
            RunningMean[c] = T.CreateTruncating(momentum * double.CreateTruncating(_mean[c]) + keep * double.CreateTruncating(RunningMean[c]));
            RunningVar[c] = T.CreateTruncating(momentum * (varSum / (n - 1)) + keep * double.CreateTruncating(RunningVar[c]));
        }
        BatchesTracked++;
    }

    // mean and invstd of the pass: the batch's in training, the running ones in evaluation.
    private void Statistics(T* input, int batch)
    {
        double eps = double.CreateTruncating(_eps);
        if (!_training)
        {
            for (int c = 0; c < _c; c++)
            {
                _mean[c] = RunningMean[c];
                _invstd[c] = T.CreateTruncating(1 / Math.Sqrt(double.CreateTruncating(RunningVar[c]) + eps));
            }
            return;
        }
        if (batch * _plane < 2)
        {
            // As PyTorch: "Expected more than 1 value per channel when training".
            throw new ArgumentException($"{Name}: batch norm needs more than 1 value per channel in training, got {batch * _plane}");
        }
        double n = batch * _plane;
        for (int c = 0; c < _c; c++)
        {
            double sum = 0;
            for (int b = 0; b < batch; b++)
            {
                T* x = input + (nint)b * InputSize + (nint)c * _plane;
                for (int i = 0; i < _plane; i++)
                {
                    sum += double.CreateTruncating(x[i]);
                }
            }
            double mean = sum / n;
            _mean[c] = T.CreateTruncating(mean);
            _invstd[c] = T.CreateTruncating(1 / Math.Sqrt(VarSum(input, batch, c, mean) / n + eps));
        }
    }

    private double VarSum(T* input, int batch, int c, double mean)
    {
        double sum = 0;
        for (int b = 0; b < batch; b++)
        {
            T* x = input + (nint)b * InputSize + (nint)c * _plane;
            for (int i = 0; i < _plane; i++)
            {
                double d = double.CreateTruncating(x[i]) - mean;
                sum += d * d;
            }
        }
        return sum;
    }

    public override void Forward(T* input, T* output, int b0, int b1, T* workspace)
    {
        for (int b = b0; b < b1; b++)
        {
            for (int c = 0; c < _c; c++)
            {
                nint at = (nint)b * InputSize + (nint)c * _plane;
                T* x = input + at, y = output + at;
                T alpha = _alpha[c], beta = _beta[c];
                for (int i = 0; i < _plane; i++)
                {
                    y[i] = x[i] * alpha + beta;
                }
            }
        }
    }

    public override void BeginBackwardInput(T* input, T* output, T* dOutput, int batch)
    {
        Statistics(input, batch);
        double n = batch * _plane;
        _n = T.CreateTruncating(n);
        for (int c = 0; c < _c; c++)
        {
            double sumDy = 0, dotp = 0, mean = double.CreateTruncating(_mean[c]), invstd = double.CreateTruncating(_invstd[c]);
            for (int b = 0; b < batch; b++)
            {
                nint at = (nint)b * InputSize + (nint)c * _plane;
                T* x = input + at, dy = dOutput + at;
                for (int i = 0; i < _plane; i++)
                {
                    double g = double.CreateTruncating(dy[i]);
                    sumDy += g;
                    dotp += (double.CreateTruncating(x[i]) - mean) * g;
                }
            }
            (_sumDy[c], _dotp[c]) = (T.CreateTruncating(sumDy), T.CreateTruncating(dotp));
            _k[c] = T.CreateTruncating(dotp * invstd * invstd / n);
            _dGamma[c] = T.CreateTruncating(dotp * invstd);
        }
    }

    public override void BackwardInput(T* input, T* output, T* dOutput, T* dInput, int b0, int b1, T* workspace)
    {
        if (dInput == null)
        {
            return;
        }
        for (int b = b0; b < b1; b++)
        {
            for (int c = 0; c < _c; c++)
            {
                nint at = (nint)b * InputSize + (nint)c * _plane;
                T* x = input + at, dy = dOutput + at, dx = dInput + at;
                T scale = _invstd[c] * _gamma[c];
                if (!_training)
                {
                    for (int i = 0; i < _plane; i++)
                    {
                        dx[i] = dy[i] * scale;
                    }
                    continue;
                }
                T mean = _mean[c], k = _k[c], gradMean = _sumDy[c] / _n, invstd = _invstd[c], gamma = _gamma[c];
                for (int i = 0; i < _plane; i++)
                {
                    dx[i] = (dy[i] - (x[i] - mean) * k - gradMean) * invstd * gamma;
                }
            }
        }
    }

    public override int GradientTasks(int threads) => 1;

    public override void BackwardParameters(int task, int threads, T* input, T* dOutput, int batch, ParameterSet<T> gradients)
    {
        T[] dGamma = gradients[_weightName], dBeta = gradients[_biasName];
        for (int c = 0; c < _c; c++)
        {
            dGamma[c] = _dGamma[c];
            dBeta[c] = _sumDy[c];
        }
    }
}
