using System.Numerics;
using CnnParity.Core.Engines.Kernels;
using CnnParity.Core.NumPy;

namespace CnnParity.Core.Engines.Layers;

/// <summary>
/// The loss: torch.nn.functional.cross_entropy(logits, labels) with reduction mean
/// (https://pytorch.org/docs/stable/generated/torch.nn.functional.cross_entropy.html), i.e. log_softmax then the mean
/// negative log-likelihood, computed as PyTorch's log_softmax kernel writes it. Per image, classes in order:
/// <code>
/// m      = max_j z[j]                                    (the first maximum)
/// s      = Σ over j in order of exp(z[j] - m)
/// loss_b = -((z[label] - m) - log(s))
/// loss   = (Σ over b in order of loss_b) / D
/// dz[j]  = (exp(z[j] - m) / s - [j == label]) / D        (the gradient of that loss)
/// </code>
/// D is B (<see cref="LossScale.Mean"/>) or B² (<see cref="LossScale.SumOverBatchSquared"/>, chapter 10's corrected loss),
/// rounded once to T.
/// exp is NumPy's float64 exp with the chosen kernel (float32: <see cref="MathF.Exp"/>); log is glibc's.
/// </summary>
internal static unsafe class SoftmaxCrossEntropy<T>
    where T : unmanaged, IFloatingPointIeee754<T>
{
    /// <summary>The loss of <paramref name="batch"/> rows of <paramref name="classes"/> logits, summed and divided as <paramref name="scale"/> says.</summary>
    public static T Loss(T* logits, ReadOnlySpan<byte> labels, int batch, int classes, NumPyExpKernel exp, LossScale scale = LossScale.Mean)
    {
        CheckLabels(labels, batch, classes);
        T sum = T.Zero;
        for (int b = 0; b < batch; b++)
        {
            T* z = logits + (nint)b * classes;
            T m = Max(z, classes);
            T s = T.Zero;
            for (int j = 0; j < classes; j++)
            {
                s += ScalarMath<T>.Exp(z[j] - m, exp);
            }
            sum += -((z[labels[b]] - m) - ScalarMath<T>.Log(s));
        }
        return sum / Divisor(batch, scale);
    }

    /// <summary>The gradient of the loss with respect to the logits of rows [b0, b1) (B = <paramref name="batch"/>).</summary>
    public static void Backward(T* logits, byte* labels, int batch, int classes, NumPyExpKernel exp, T* dLogits, int b0, int b1,
        LossScale scale = LossScale.Mean)
    {
        T count = Divisor(batch, scale);
        for (int b = b0; b < b1; b++)
        {
            T* z = logits + (nint)b * classes, dz = dLogits + (nint)b * classes;
            T m = Max(z, classes);
            T s = T.Zero;
            for (int j = 0; j < classes; j++)
            {
                dz[j] = ScalarMath<T>.Exp(z[j] - m, exp);
                s += dz[j];
            }
            for (int j = 0; j < classes; j++)
            {
                dz[j] = (dz[j] / s - (j == labels[b] ? T.One : T.Zero)) / count;
            }
        }
    }

    private static T Divisor(int batch, LossScale scale) =>
        T.CreateTruncating(scale == LossScale.Mean ? batch : (double)batch * batch);

    public static void CheckLabels(ReadOnlySpan<byte> labels, int batch, int classes)
    {
        if (labels.Length < batch)
        {
            throw new ArgumentException($"{labels.Length} labels for a batch of {batch}", nameof(labels));
        }
        foreach (byte label in labels[..batch])
        {
            if (label >= classes)
            {
                throw new ArgumentException($"label {label} is outside 0..{classes - 1}", nameof(labels));
            }
        }
    }

    private static T Max(T* z, int classes)
    {
        T m = z[0];
        for (int j = 1; j < classes; j++)
        {
            if (z[j] > m)
            {
                m = z[j];
            }
        }
        return m;
    }
}
