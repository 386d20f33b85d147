using CnnParity.Core.Architecture;
using Google.Protobuf;

namespace CnnParity.Onnx.Tests;

/// <summary>
/// .onnx files that must be refused, each with the words its one-line message must contain. Shared by the reader's
/// tests and the CLI's (onnx-check exits 2 on each).
/// </summary>
public static class BadModelFiles
{
    /// <summary>(case name, file bytes, the --arch to check it against, expected words).</summary>
    public static IEnumerable<(string Case, byte[] Bytes, string Arch, string Message)> All()
    {
        var good = new Model("lenet5").Bytes;
        yield return ("empty", [], "lenet5", "the file is empty");
        yield return ("text", "this is not a model\n"u8.ToArray(), "lenet5", "not an ONNX model");
        yield return ("random bytes", Random(4096), "lenet5", "not an ONNX model");
        foreach (int cut in new[] { good.Length / 4, good.Length / 2, 3 * good.Length / 4, good.Length - 1 })
            yield return ($"truncated to {cut} of {good.Length} bytes", good[..cut], "lenet5", "ONNX model");
        yield return ("bytes flipped in the graph", Flipped(good), "lenet5", "ONNX model");
        yield return ("input of 3x32x32", Edited(good, m =>
        {
            var dims = m.Graph.Input[0].Type.TensorType.Shape.Dim;
            dims[1].DimValue = 3;
            dims[2].DimValue = 32;
            dims[3].DimValue = 32;
        }), "lenet5", "input 'input' is float32 (batch, 3, 32, 32); the spec 'lenet5' reads float32 (batch, 1, 28, 28)");
        yield return ("flat input", Edited(good, m =>
        {
            var shape = m.Graph.Input[0].Type.TensorType.Shape;
            shape.Dim.RemoveAt(3);
            shape.Dim.RemoveAt(2);
            shape.Dim[1].DimValue = 784;
        }), "lenet5", "input 'input' is float32 (batch, 784)");
        yield return ("float64 input", Edited(good, m => m.Graph.Input[0].Type.TensorType.ElemType = (int)global::Onnx.TensorProto.Types.DataType.Double),
            "lenet5", "input 'input' is float64 (batch, 1, 28, 28)");
        yield return ("12 logits", Edited(good, m => m.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 12),
            "lenet5", "output 'logits' is float32 (batch, 12); the spec 'lenet5' gives float32 (batch, 10)");
        yield return ("no probabilities", Edited(good, m => m.Graph.Output.RemoveAt(1)), "lenet5", "it has no output 'probabilities'");
        yield return ("another spec's weights", new Model("ch10").Bytes, "lenet5", "initializer 'conv1.weight' is (4, 1, 3, 3); the spec 'lenet5' has (6, 1, 5, 5)");
        yield return ("a spec without the biases", good, "conv(c=6,k=5,p=2,bias=false) tanh avgpool(k=2) conv(c=16,k=5,bias=false) tanh avgpool(k=2) flatten dense(120,bias=false) tanh dense(84,bias=false) tanh dense(10,bias=false)",
            "initializer 'conv1.bias' is not a parameter of the spec");
        const string relu6 = "conv(c=4,k=3) relu6 flatten dense(10)";
        yield return ("relu6 clipped at 5", Edited(new Model(relu6).Bytes, m =>
        {
            var max = m.Graph.Initializer.Single(t => t.Name == "relu6_1.max");
            max.RawData = ByteString.CopyFrom(BitConverter.GetBytes(5f));
        }), relu6, "initializer 'relu6_1.max' is not the scalar 6 of relu6's Clip");
        yield return ("a node ONNX Runtime does not know", Edited(good, m => m.Graph.Node[1].OpType = "Tanhh"), "lenet5", "ONNX Runtime cannot load it");
    }

    static byte[] Random(int length)
    {
        var bytes = new byte[length];
        new System.Random(7).NextBytes(bytes);
        return bytes;
    }

    // Overwrites the bytes around the first node's op_type ("Conv") with 0xFF: lengths and tags that cannot parse.
    static byte[] Flipped(byte[] good)
    {
        var bytes = (byte[])good.Clone();
        int conv = bytes.AsSpan().IndexOf("Conv"u8);
        bytes.AsSpan(conv - 8, 16).Fill(0xFF);
        return bytes;
    }

    static byte[] Edited(byte[] good, Action<global::Onnx.ModelProto> edit)
    {
        var model = global::Onnx.ModelProto.Parser.ParseFrom(good);
        edit(model);
        return model.ToByteArray();
    }
}
