using Google.Protobuf;
using Onnx;

namespace CnnParity.Onnx.Export;

/// <summary>Small constructors for the onnx.proto messages the exporter writes (the generated classes are all setters).</summary>
internal static class Protos
{
    public static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    public static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    public static NodeProto Node(string opType, string name, string[] inputs, string output, params AttributeProto[] attributes)
    {
        var node = new NodeProto { OpType = opType, Name = name };
        node.Input.AddRange(inputs);
        node.Output.Add(output);
        node.Attribute.AddRange(attributes);
        return node;
    }

    /// <summary>A float32 tensor, each float64 value rounded once to the nearest float32, stored as raw little-endian bytes.</summary>
    public static TensorProto Float32(string name, long[] shape, ReadOnlySpan<double> values)
    {
        var floats = new float[values.Length];
        for (int i = 0; i < floats.Length; i++) floats[i] = (float)values[i];
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Float };
        tensor.Dims.AddRange(shape);
        // ONNX raw_data is little-endian, as this host (NpyArray refuses big-endian hosts too).
        tensor.RawData = ByteString.CopyFrom(System.Runtime.InteropServices.MemoryMarshal.AsBytes(floats.AsSpan()));
        return tensor;
    }

    /// <summary>A 1-d int64 tensor (the starts, ends and axes of a Slice).</summary>
    public static TensorProto Int64(string name, params long[] values)
    {
        var tensor = new TensorProto { Name = name, DataType = (int)TensorProto.Types.DataType.Int64 };
        tensor.Dims.Add(values.Length);
        tensor.Int64Data.AddRange(values);
        return tensor;
    }

    /// <summary>A float32 tensor value whose first dimension is the symbolic batch.</summary>
    public static ValueInfoProto BatchOf(string name, string doc, params long[] perItem)
    {
        var shape = new TensorShapeProto();
        shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimParam = OnnxFormat.BatchDimension });
        foreach (long d in perItem) shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = d });
        return new ValueInfoProto
        {
            Name = name,
            DocString = doc,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)TensorProto.Types.DataType.Float, Shape = shape } },
        };
    }
}
