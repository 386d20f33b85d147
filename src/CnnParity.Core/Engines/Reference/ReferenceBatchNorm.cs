using CnnParity.Core.Architecture;

namespace CnnParity.Core.Engines.Reference;

/// <summary>
/// torch.nn.BatchNorm2d / BatchNorm1d in the form LibTorch's CPU kernels use (see Engines/Layers/BatchNorm.cs): per
/// channel, mean and biased variance over the batch (and the plane) in training, the running statistics in evaluation;
/// <c>y = x·α + β'</c> with <c>α = invstd·γ</c>, <c>β' = β − mean·α</c>; the running statistics updated with momentum and the
/// unbiased variance. Each quantity carries the variance of its float32 rounding, first order: the propagated variances of
/// its operands times their slopes squared, plus one rounding (the value squared) per operation. Operands are treated as
/// independent; where they are not (the mean inside every x − mean) that overestimates, never hides, the rounding.
/// The reference holds its running statistics, so a training pass changes what the next evaluation pass computes, as in
/// PyTorch.
/// </summary>
internal sealed class ReferenceBatchNorm : ReferenceLayer
{
    private readonly int _c, _plane;
    private readonly double _eps, _momentum;
    private readonly double[] _gamma, _beta;
    private readonly Carried _runningMean, _runningVar;

    public ReferenceBatchNorm(SpecLayer layer, BatchNormSpec spec, Func<string, double[]> parameters) : base(layer)
    {
        _c = layer.Input.Channels;
        _plane = layer.Input.IsVector ? 1 : layer.Input.Height * layer.Input.Width;
        (_eps, _momentum) = (spec.Eps, spec.Momentum);
        _gamma = parameters($"{layer.Name}.weight");
        _beta = parameters($"{layer.Name}.bias");
        _runningMean = Carried.Zeros(_c);
        _runningVar = new Carried(Enumerable.Repeat(1.0, _c).ToArray(), new double[_c]);
    }

    /// <summary>running_mean and running_var as they stand (with their carried rounding).</summary>
    public (Carried Mean, Carried Var) Running => (_runningMean, _runningVar);

    /// <summary>num_batches_tracked.</summary>
    public long BatchesTracked { get; private set; }

    private IEnumerable<int> At(int batch, int c) =>
        Enumerable.Range(0, batch).SelectMany(b => Enumerable.Range(b * InputSize + c * _plane, _plane));

    // Per channel: mean, its variance, invstd, its variance; and (training) the sum of squared deviations with its variance.
    private (double Mean, double MeanVar, double Invstd, double InvstdVar, double VarSum, double VarSumVar) Statistics(Carried x, int batch, int c)
    {
        double mean, meanVar, v, vVar, varSum = 0, varSumVar = 0;
        if (Training)
        {
            int n = batch * _plane;
            var sum = new RoundedSum();
            foreach (int i in At(batch, c)) sum.AddTerm(x.Value[i], x.Variance[i]);
            mean = sum.Value / n;
            meanVar = sum.Variance / ((double)n * n) + mean * mean;
            var squares = new RoundedSum();
            foreach (int i in At(batch, c))
            {
                double d = x.Value[i] - mean, dVar = x.Variance[i] + meanVar + d * d;
                squares.AddTerm(d * d, 4 * d * d * dVar + d * d * d * d);
            }
            (varSum, varSumVar) = (squares.Value, squares.Variance);
            double biased = varSum / n;
            v = biased + _eps;
            vVar = varSumVar / ((double)n * n) + biased * biased + v * v;
        }
        else
        {
            (mean, meanVar) = (_runningMean.Value[c], _runningMean.Variance[c]);
            v = _runningVar.Value[c] + _eps;
            vVar = _runningVar.Variance[c] + v * v;
        }
        double invstd = 1 / Math.Sqrt(v);
        // d(v^-1/2)/dv = -v^-3/2 / 2; and the square root's and the division's roundings.
        double slope = invstd * invstd * invstd / 2;
        return (mean, meanVar, invstd, slope * slope * vVar + 2 * invstd * invstd, varSum, varSumVar);
    }

    public override Carried Forward(Carried input, int batch, double[]? mask)
    {
        var output = Carried.Zeros(input.Length);
        for (int c = 0; c < _c; c++)
        {
            var (mean, meanVar, invstd, invstdVar, varSum, varSumVar) = Statistics(input, batch, c);
            double alpha = invstd * _gamma[c], alphaVar = _gamma[c] * _gamma[c] * invstdVar + alpha * alpha;
            double shift = _beta[c] - mean * alpha;
            double shiftVar = alpha * alpha * meanVar + mean * mean * alphaVar + mean * alpha * mean * alpha + shift * shift;
            foreach (int i in At(batch, c))
            {
                double x = input.Value[i], y = x * alpha + shift;
                output.Value[i] = y;
                output.Variance[i] = alpha * alpha * input.Variance[i] + x * x * alphaVar + shiftVar + x * alpha * x * alpha + y * y;
            }
            if (Training) Update(c, batch * _plane, mean, meanVar, varSum, varSumVar);
        }
        if (Training) BatchesTracked++;
        return output;
    }

    private void Update(int c, int n, double mean, double meanVar, double varSum, double varSumVar)
    {
        double m = _momentum, keep = 1 - m;
        double rm = _runningMean.Value[c], newMean = m * mean + keep * rm;
        _runningMean.Variance[c] = m * m * meanVar + keep * keep * _runningMean.Variance[c] + m * mean * m * mean + keep * rm * keep * rm + newMean * newMean;
        _runningMean.Value[c] = newMean;
        double unbiased = varSum / (n - 1), rv = _runningVar.Value[c], newVar = m * unbiased + keep * rv;
        double unbiasedVar = varSumVar / ((double)(n - 1) * (n - 1)) + unbiased * unbiased;
        _runningVar.Variance[c] = m * m * unbiasedVar + keep * keep * _runningVar.Variance[c] + m * unbiased * m * unbiased + keep * rv * keep * rv + newVar * newVar;
        _runningVar.Value[c] = newVar;
    }

    public override Carried Backward(Carried input, Carried output, Carried dOutput, int batch, double[]? mask, int[]? decisions,
        IDictionary<string, Carried> gradients)
    {
        var dInput = Carried.Zeros(input.Length);
        var dGamma = Carried.Zeros(_c);
        var dBeta = Carried.Zeros(_c);
        int n = batch * _plane;
        for (int c = 0; c < _c; c++)
        {
            var (mean, meanVar, invstd, invstdVar, _, _) = Statistics(input, batch, c);
            var sumDy = new RoundedSum();
            var dotp = new RoundedSum();
            foreach (int i in At(batch, c))
            {
                double d = input.Value[i] - mean, dVar = input.Variance[i] + meanVar + d * d;
                sumDy.AddTerm(dOutput.Value[i], dOutput.Variance[i]);
                dotp.AddProduct(d, dOutput.Value[i], dVar, dOutput.Variance[i]);
            }
            double gamma = _gamma[c], scale = invstd * gamma;
            double k = dotp.Value * invstd * invstd / n;
            double kVar = Math.Pow(invstd * invstd / n, 2) * dotp.Variance + Math.Pow(2 * dotp.Value * invstd / n, 2) * invstdVar + 3 * k * k;
            double gradMean = sumDy.Value / n, gradMeanVar = sumDy.Variance / ((double)n * n) + gradMean * gradMean;
            foreach (int i in At(batch, c))
            {
                double dy = dOutput.Value[i], dyVar = dOutput.Variance[i];
                if (!Training)
                {
                    double e = dy * scale;
                    dInput.Value[i] = e;
                    dInput.Variance[i] = scale * scale * dyVar + dy * gamma * dy * gamma * invstdVar + 2 * e * e;
                    continue;
                }
                double d = input.Value[i] - mean, dVar = input.Variance[i] + meanVar + d * d;
                double t = dy - d * k - gradMean;
                double tVar = dyVar + k * k * dVar + d * d * kVar + gradMeanVar + d * k * d * k + (dy - d * k) * (dy - d * k) + t * t;
                double dx = t * invstd * gamma;
                dInput.Value[i] = dx;
                dInput.Variance[i] = scale * scale * tVar + t * gamma * t * gamma * invstdVar + t * invstd * t * invstd + dx * dx;
            }
            dGamma.Value[c] = dotp.Value * invstd;
            dGamma.Variance[c] = invstd * invstd * dotp.Variance + dotp.Value * dotp.Value * invstdVar + dGamma.Value[c] * dGamma.Value[c];
            dBeta.Value[c] = sumDy.Value;
            dBeta.Variance[c] = sumDy.Variance;
        }
        gradients[$"{Name}.weight"] = dGamma;
        gradients[$"{Name}.bias"] = dBeta;
        return dInput;
    }
}
