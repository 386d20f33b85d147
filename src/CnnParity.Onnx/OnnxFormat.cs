namespace CnnParity.Onnx;

/// <summary>
/// What every exported model shares: the ONNX versions it is written for and the names a deployment binds to.
/// <list type="bullet">
/// <item>Input <see cref="Input"/>: float32, (batch, 1, 28, 28), NCHW, each pixel divided by 255 — what the networks read.</item>
/// <item>Outputs <see cref="Logits"/> (batch, 10) and <see cref="Probabilities"/> (batch, 10), the softmax of the logits.</item>
/// </list>
/// </summary>
public static class OnnxFormat
{
    /// <summary>
    /// IR version 8: the newest that Debian 12's python3-onnx 1.12 (the checker the tests run) accepts, and one every
    /// ONNX Runtime since 1.10 loads.
    /// </summary>
    public const long IrVersion = 8;

    /// <summary>
    /// Opset 13 of the default domain: Softmax over one axis (before 13 it flattened the trailing axes), Slice with
    /// tensor inputs, and every operator the specs need. python3-onnx 1.12 knows opsets up to 17.
    /// </summary>
    public const long Opset = 13;

    /// <summary>The graph's input: a batch of images.</summary>
    public const string Input = "input";

    /// <summary>The last dense layer's output.</summary>
    public const string Logits = "logits";

    /// <summary>Softmax over the classes of <see cref="Logits"/>.</summary>
    public const string Probabilities = "probabilities";

    /// <summary>The symbolic name of the first dimension, so any batch size runs.</summary>
    public const string BatchDimension = "batch";

    /// <summary>What the graph's input expects, also written into the model.</summary>
    public const string InputDescription = "float32 (batch, 1, 28, 28), NCHW: MNIST pixels divided by 255";
}
