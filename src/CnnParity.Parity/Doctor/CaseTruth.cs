using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Reference;
using CnnParity.Parity.Triage;

namespace CnnParity.Parity.Doctor;

/// <summary>One tensor a case checks: its float64 truth and, per element, the most LibTorch may differ from it.</summary>
/// <param name="Name">"output", "loss", "input.grad", "weight.grad" or "bias.grad"</param>
public sealed record CheckedTensor(string Name, double[] Truth, double[] Bounds);

/// <summary>
/// The float64 truth of a case, from the from-scratch engine's own layers (<see cref="OpReference"/>), and each element's
/// bound: the triage's rounding bound (<see cref="RoundingBound"/>), <see cref="RoundingBound.Factor"/> standard deviations
/// of the rounding the float64 reference carries for the op in LibTorch's dtype (<see cref="OpReference.Rounding"/>,
/// <see cref="ReferenceLoss"/>): the same bound every parity check holds a float32 result to.
/// </summary>
public static class CaseTruth
{
    /// <summary>The tensors <paramref name="c"/> checks, in the order <see cref="TorchSide.Run"/> returns LibTorch's.</summary>
    public static IReadOnlyList<CheckedTensor> Compute(DoctorCase c, CaseInputs inputs, int threads)
    {
        double[] x = Doubles(inputs.Input), dy = Doubles(inputs.OutputGradient);
        return c.Op switch
        {
            TorchOp.LogSoftmax => LogSoftmax(c, x, dy),
            TorchOp.CrossEntropy => CrossEntropy(c, x, inputs.Labels),
            _ => Layer(c, x, [.. inputs.Parameters.Select(Doubles)], dy, threads),
        };
    }

    static IReadOnlyList<CheckedTensor> Layer(DoctorCase c, double[] x, double[][] p, double[] dy, int threads)
    {
        var layer = c.Layer ?? new ActivationSpec(c.Op switch
        {
            TorchOp.Tanh => ActivationKind.Tanh,
            TorchOp.Relu => ActivationKind.ReLU,
            TorchOp.Relu6 => ActivationKind.ReLU6,
            TorchOp.Sigmoid => ActivationKind.Sigmoid,
            _ => throw new ArgumentException($"{c.Op.Name()} is not an elementwise activation"),
        });
        var reference = new OpReference(layer, c.Input, c.Batch, threads);
        var rounding = reference.Rounding(p);
        var pass = rounding.Forward(x, c.Batch, masks: null);
        switch (c.Check)
        {
            case DoctorCheck.Forward:
                return [new("output", reference.Forward(x, p), Bounds(pass.Output(0), c.Dtype))];
            case DoctorCheck.InputGradient:
                return [new("input.grad", reference.InputGradient(x, p, dy), Bounds(rounding.Backward(pass, Carried.Exact(dy)).Input, c.Dtype))];
            default:
                var gradients = reference.ParameterGradients(x, p, dy);
                var carried = rounding.Backward(pass, Carried.Exact(dy)).Parameters;
                return [.. reference.Parameters.Select((parameter, i) =>
                    new CheckedTensor(parameter.Role == "weight" ? "weight.grad" : "bias.grad", gradients[i], Bounds(carried[parameter.Name], c.Dtype)))];
        }
    }

    static IReadOnlyList<CheckedTensor> LogSoftmax(DoctorCase c, double[] z, double[] dy)
    {
        int n = c.Input.Size;
        var y = ReferenceLoss.LogSoftmax(Carried.Exact(z), c.Batch, n);
        if (c.Check == DoctorCheck.Forward)
            return [new("output", OpReference.LogSoftmax(z, c.Batch, n), Bounds(y, c.Dtype))];
        double[] truth = OpReference.LogSoftmaxBackward(OpReference.LogSoftmax(z, c.Batch, n), dy, c.Batch, n);
        return [new("input.grad", truth, Bounds(ReferenceLoss.LogSoftmaxBackward(y, Carried.Exact(dy), c.Batch, n), c.Dtype))];
    }

    // cross_entropy: the mean over the batch of −log_softmax at the label, and its gradient (p − onehot)/B.
    static IReadOnlyList<CheckedTensor> CrossEntropy(DoctorCase c, double[] z, byte[] labels)
    {
        int n = c.Input.Size, batch = c.Batch;
        var logits = Carried.Exact(z);
        if (c.Check == DoctorCheck.Forward)
        {
            var (value, variance) = ReferenceLoss.Loss(logits, labels, batch, n, batchPower: 1);
            return [new("loss", [OpReference.CrossEntropy(z, labels, batch, n)], Bounds(new Carried([value], [variance]), c.Dtype))];
        }
        return [new("input.grad", OpReference.CrossEntropyBackward(z, labels, batch, n), Bounds(ReferenceLoss.Backward(logits, labels, batch, n, batchPower: 1), c.Dtype))];
    }

    static double[] Bounds(Carried truth, Dtype dtype)
    {
        var bounds = new double[truth.Length];
        for (int i = 0; i < bounds.Length; i++) bounds[i] = RoundingBound.Of(truth, i, dtype);
        return bounds;
    }

    static double[] Doubles(float[] values) => [.. values.Select(v => (double)v)];
}
