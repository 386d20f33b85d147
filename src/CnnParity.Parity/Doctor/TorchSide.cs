using CnnParity.Core;
using CnnParity.Core.Architecture;
using TorchSharp;
using static TorchSharp.torch;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// A case run by LibTorch through TorchSharp, as CnnParity's twins call it (torch.nn.functional, autograd for the
/// backward passes). An input-grad case computes every gradient the backward pass of a layer in the middle of a network
/// computes (input and weights require grad), and compares the input's; a weight-grad case is the first layer's (the
/// input does not require grad), and compares the weight's and the bias's. The tensors come back as float64 (exact).
/// </summary>
public static class TorchSide
{
    /// <summary>LibTorch's values of the tensors <paramref name="c"/> checks, in <see cref="CaseTruth.Compute"/>'s order.</summary>
    public static IReadOnlyList<(string Name, double[] Values)> Run(DoctorCase c, CaseInputs inputs)
    {
        using var scope = NewDisposeScope();
        var dtype = c.Dtype == Dtype.Float32 ? float32 : float64;
        bool inputGrad = c.Check == DoctorCheck.InputGradient;
        bool weightGrad = c.Check != DoctorCheck.Forward && c.Op.HasWeights();
        var x = Make(inputs.Input, c.Input.BatchShape(c.Batch), dtype, inputGrad);
        var shapes = CaseInputs.ParameterShapes(c);
        var parameters = shapes.Select((shape, i) => Make(inputs.Parameters[i], shape, dtype, weightGrad)).ToArray();
        var y = Apply(c, x, parameters, inputs.Labels);
        if (c.Check == DoctorCheck.Forward)
            return [(c.Op == TorchOp.CrossEntropy ? "loss" : "output", Values(y))];

        if (c.Op == TorchOp.CrossEntropy)
            y.backward();
        else
            y.backward([Make(inputs.OutputGradient, c.Output.BatchShape(c.Batch), dtype, false)]);
        if (inputGrad)
            return [("input.grad", Values(x.grad!))];
        return [.. parameters.Select((p, i) => (i == 0 ? "weight.grad" : "bias.grad", Values(p.grad!)))];
    }

    static Tensor Apply(DoctorCase c, Tensor x, Tensor[] parameters, byte[] labels)
    {
        Tensor? bias = parameters.Length > 1 ? parameters[1] : null;
        return c.Layer switch
        {
            Conv2dSpec conv => nn.functional.conv2d(x, parameters[0], bias, strides: [conv.Stride, conv.Stride], padding: [conv.Padding, conv.Padding],
                groups: conv.Groups),
            Pool2dSpec { Kind: PoolKind.Max } pool => nn.functional.max_pool2d(x, [pool.Kernel, pool.Kernel], [pool.Stride, pool.Stride]),
            Pool2dSpec pool => nn.functional.avg_pool2d(x, [pool.Kernel, pool.Kernel], [pool.Stride, pool.Stride]),
            DenseSpec => nn.functional.linear(x, parameters[0], bias),
            _ => c.Op switch
            {
                TorchOp.Tanh => x.tanh(),
                TorchOp.Relu => nn.functional.relu(x),
                TorchOp.Relu6 => nn.functional.relu6(x),
                TorchOp.Sigmoid => x.sigmoid(),
                TorchOp.LogSoftmax => nn.functional.log_softmax(x, 1),
                TorchOp.CrossEntropy => nn.functional.cross_entropy(x, tensor(labels.Select(l => (long)l).ToArray(), [labels.Length], int64)),
                _ => throw new ArgumentException($"no TorchSharp call for {c.Id}"),
            },
        };
    }

    // float32 values, promoted exactly for a float64 case; a leaf (the promotion happens before requires_grad).
    static Tensor Make(float[] values, long[] shape, ScalarType dtype, bool requiresGrad)
    {
        var t = tensor(values, shape, float32);
        if (dtype == float64) t = t.to_type(float64);
        return requiresGrad ? t.requires_grad_() : t;
    }

    static double[] Values(Tensor t)
    {
        using var _ = no_grad();
        return t.detach().to_type(float64).contiguous().data<double>().ToArray();
    }
}
