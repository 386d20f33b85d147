using CnnParity.Core;
using CnnParity.Core.Architecture;
using Onnx;

namespace CnnParity.Onnx.Export;

/// <summary>
/// The inference graph of a spec, one ONNX node per layer, each named as the layer (<c>conv1</c>, <c>tanh1</c>, ...) with
/// its output tensor under the same name; the last dense layer's output is <see cref="OnnxFormat.Logits"/>, followed by
/// Softmax into <see cref="OnnxFormat.Probabilities"/>. Parameters become float32 initializers under their state_dict
/// names, in PyTorch's layout, which is ONNX's: Conv's W is (out, in, k, k) and Gemm with transB=1 takes Linear's
/// (out, in) weight as it is.
/// </summary>
internal static class SpecGraph
{
    public static GraphProto Build(ArchitectureSpec spec, Func<ParameterSpec, double[]> parameter)
    {
        // Refused before anything is built: a graph without a layer's node would be a wrong graph, not a smaller one.
        if (spec.Layers.FirstOrDefault(l => l.Spec is BatchNormSpec) is { } batchNorm)
            throw new CnnParityException($"layer {batchNorm.Name} ({batchNorm.Spec.Text}) has no ONNX export yet: its running statistics are not among the weights an export is given");
        var graph = new GraphProto
        {
            Name = spec.Preset ?? "cnnparity",
            DocString = $"CnnParity spec: {spec.Text}",
        };
        graph.Input.Add(Protos.BatchOf(OnnxFormat.Input, OnnxFormat.InputDescription,
            spec.Input.Channels, spec.Input.Height, spec.Input.Width));

        foreach (var p in spec.Parameters)
        {
            double[] values = parameter(p);
            if (values.Length != p.Size)
                throw new ArgumentException($"{p.Name} has {values.Length} values; the spec's shape ({string.Join(", ", p.Shape)}) holds {p.Size}");
            graph.Initializer.Add(Protos.Float32(p.Name, p.Shape, values));
        }

        var removed = new List<string>();
        string current = OnnxFormat.Input;
        foreach (var layer in spec.Layers)
        {
            string output = layer == spec.Layers[^1] ? OnnxFormat.Logits : layer.Name;
            var node = Node(graph, layer, current, output);
            if (node is null)
            {
                removed.Add(layer.Name);
                continue; // the next layer reads this one's input
            }
            graph.Node.Add(node);
            current = output;
        }
        graph.Node.Add(Protos.Node("Softmax", "softmax", [OnnxFormat.Logits], OnnxFormat.Probabilities, Protos.Int("axis", 1)));

        graph.Output.Add(Protos.BatchOf(OnnxFormat.Logits, "the last dense layer's output", ArchitectureSpec.Classes));
        graph.Output.Add(Protos.BatchOf(OnnxFormat.Probabilities, "softmax of the logits over the classes", ArchitectureSpec.Classes));
        if (removed.Count > 0)
            graph.DocString += $"; removed for inference (the identity at test time): {string.Join(", ", removed)}";
        return graph;
    }

    /// <summary>The layer's node, or null for a layer that inference leaves out (dropout).</summary>
    static NodeProto? Node(GraphProto graph, SpecLayer layer, string input, string output)
    {
        string name = layer.Name;
        switch (layer.Spec)
        {
            case Conv2dSpec conv:
                // torch.nn.Conv2d pads every side by p; ONNX pads are [top, left, bottom, right]. W is (out, in/group, k, k)
                // in both; group is written only when it is not ONNX's default 1, so an ungrouped graph stays as it was.
                AttributeProto[] attributes =
                [
                    Protos.Ints("kernel_shape", conv.Kernel, conv.Kernel),
                    Protos.Ints("strides", conv.Stride, conv.Stride),
                    Protos.Ints("pads", conv.Padding, conv.Padding, conv.Padding, conv.Padding),
                    .. conv.Groups != 1 ? [Protos.Int("group", conv.Groups)] : Array.Empty<AttributeProto>(),
                ];
                return Protos.Node("Conv", name, WithParameters(input, name, conv.Bias), output, attributes);
            case CropSpec crop:
                // The book's 25x25 grid: the top-left Side x Side of each plane, as the twin's [.., .., ..g, ..g].
                graph.Initializer.Add(Protos.Int64($"{name}.starts", 0, 0));
                graph.Initializer.Add(Protos.Int64($"{name}.ends", crop.Side, crop.Side));
                graph.Initializer.Add(Protos.Int64($"{name}.axes", 2, 3));
                return Protos.Node("Slice", name, [input, $"{name}.starts", $"{name}.ends", $"{name}.axes"], output);
            case Pool2dSpec pool:
                // No padding and floor mode (ceil_mode 0), as torch.nn.MaxPool2d / AvgPool2d with their defaults.
                return Protos.Node(pool.Kind == PoolKind.Max ? "MaxPool" : "AveragePool", name, [input], output,
                    Protos.Ints("kernel_shape", pool.Kernel, pool.Kernel),
                    Protos.Ints("strides", pool.Stride, pool.Stride));
            case GlobalAvgPoolSpec:
                // torch.nn.AdaptiveAvgPool2d(1): N x C x 1 x 1, as GlobalAveragePool gives it.
                return Protos.Node("GlobalAveragePool", name, [input], output);
            case ActivationSpec { Kind: ActivationKind.ReLU6 }:
                // torch.nn.ReLU6 is hardtanh(0, 6), which torch.onnx exports as Clip; from opset 11 its bounds are inputs.
                graph.Initializer.Add(Protos.Float32($"{name}.min", [], [0.0]));
                graph.Initializer.Add(Protos.Float32($"{name}.max", [], [6.0]));
                return Protos.Node("Clip", name, [input, $"{name}.min", $"{name}.max"], output);
            case ActivationSpec activation:
                return Protos.Node(activation.Kind switch
                {
                    ActivationKind.Tanh => "Tanh",
                    ActivationKind.ReLU => "Relu",
                    ActivationKind.Sigmoid => "Sigmoid",
                    _ => throw new NotSupportedException($"layer {name} ({layer.Spec.Text}) has no ONNX export"),
                }, name, [input], output);
            case DropoutSpec:
                return null;
            case FlattenSpec:
                // NCHW flattened channel-major, as torch.nn.Flatten and the from-scratch layout.
                return Protos.Node("Flatten", name, [input], output, Protos.Int("axis", 1));
            case DenseSpec dense:
                // Y = X·Wᵀ + b: Gemm with transB takes Linear's (out, in) weight unpermuted.
                return Protos.Node("Gemm", name, WithParameters(input, name, dense.Bias), output, Protos.Int("transB", 1));
            default:
                throw new CnnParityException($"layer {name} ({layer.Spec.Text}) has no ONNX export");
        }
    }

    static string[] WithParameters(string input, string layer, bool bias) =>
        bias ? [input, $"{layer}.weight", $"{layer}.bias"] : [input, $"{layer}.weight"];
}
