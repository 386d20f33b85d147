using System.Runtime.InteropServices;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using Google.Protobuf;
using Microsoft.ML.OnnxRuntime;
using Onnx;

namespace CnnParity.Onnx;

/// <summary>
/// An .onnx file read and held against a spec before anything scores it: it must parse as an ONNX model, take one
/// float32 input of the spec's image shape under any batch, give <see cref="OnnxFormat.Logits"/> and
/// <see cref="OnnxFormat.Probabilities"/> of (batch, 10), hold each of the spec's parameters as a float32 initializer
/// of its shape, and load in ONNX Runtime. Each problem is one line naming the file (a
/// <see cref="CnnParityException"/>, exit code 2).
/// </summary>
public sealed class OnnxModelFile
{
    readonly ModelProto model;

    OnnxModelFile(string name, byte[] bytes, ModelProto model, ArchitectureSpec spec)
    {
        Name = name;
        Bytes = bytes;
        this.model = model;
        Spec = spec;
    }

    /// <summary>The file as the user named it.</summary>
    public string Name { get; }

    /// <summary>The file's bytes, as ONNX Runtime and ML.NET load them.</summary>
    public byte[] Bytes { get; }

    /// <summary>The spec the file was checked against.</summary>
    public ArchitectureSpec Spec { get; }

    /// <summary>The default domain's opset.</summary>
    public long Opset => model.OpsetImport.Where(o => o.Domain is "" or "ai.onnx").Select(o => o.Version).DefaultIfEmpty(0).Max();

    public long IrVersion => model.IrVersion;

    /// <summary>Graph nodes.</summary>
    public int Nodes => model.Graph.Node.Count;

    /// <summary>metadata_props (the exporter writes <c>cnnparity.*</c> keys).</summary>
    public IReadOnlyDictionary<string, string> Metadata => model.MetadataProps.GroupBy(p => p.Key).ToDictionary(g => g.Key, g => g.Last().Value);

    /// <summary>The initializer named as spec parameter <paramref name="name"/>, widened exactly to float64.</summary>
    public double[] Parameter(string name)
    {
        var tensor = model.Graph.Initializer.First(t => t.Name == name);
        ReadOnlySpan<float> values = tensor.RawData.Length > 0
            ? MemoryMarshal.Cast<byte, float>(tensor.RawData.Span)
            : tensor.FloatData.ToArray();
        var result = new double[values.Length];
        for (int i = 0; i < values.Length; i++) result[i] = values[i];
        return result;
    }

    /// <summary>Reads and checks <paramref name="path"/>.</summary>
    public static OnnxModelFile Read(string path, ArchitectureSpec spec)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CnnParityException($"cannot read the ONNX model '{path}': {e.Message}");
        }
        return FromBytes(path, bytes, spec);
    }

    /// <summary>Checks a model held in memory; <paramref name="name"/> is how errors name it.</summary>
    public static OnnxModelFile FromBytes(string name, byte[] bytes, ArchitectureSpec spec)
    {
        if (bytes.Length == 0) throw Problem(name, "the file is empty");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw Problem(name, $"truncated, or not an ONNX model (protobuf: {OneLine(e.Message)})");
        }
        if (model.Graph is null || model.Graph.Node.Count == 0)
            throw Problem(name, "not an ONNX model (no graph)");
        var file = new OnnxModelFile(name, bytes, model, spec);
        file.CheckInput();
        file.CheckOutput(OnnxFormat.Logits);
        file.CheckOutput(OnnxFormat.Probabilities);
        file.CheckParameters();
        file.CheckLoads();
        return file;
    }

    void CheckInput()
    {
        var initializers = model.Graph.Initializer.Select(i => i.Name).ToHashSet();
        var inputs = model.Graph.Input.Where(i => !initializers.Contains(i.Name)).ToList();
        if (inputs.Count != 1)
            throw Problem(Name, $"it has {inputs.Count} inputs ({string.Join(", ", inputs.Select(i => i.Name))}); a model of the spec has one, '{OnnxFormat.Input}'");
        var input = inputs[0];
        var want = Spec.Input;
        if (!Fits(input, [want.Channels, want.Height, want.Width]))
            throw Problem(Name, $"input '{input.Name}' is {Describe(input)}; the spec '{Spec.DisplayName}' reads float32 (batch, {want.Channels}, {want.Height}, {want.Width})");
        if (input.Name != OnnxFormat.Input)
            throw Problem(Name, $"its input is '{input.Name}', not '{OnnxFormat.Input}'");
    }

    void CheckOutput(string name)
    {
        var output = model.Graph.Output.FirstOrDefault(o => o.Name == name)
            ?? throw Problem(Name, $"it has no output '{name}' (outputs: {string.Join(", ", model.Graph.Output.Select(o => o.Name))})");
        if (!Fits(output, [ArchitectureSpec.Classes]))
            throw Problem(Name, $"output '{name}' is {Describe(output)}; the spec '{Spec.DisplayName}' gives float32 (batch, {ArchitectureSpec.Classes})");
    }

    void CheckParameters()
    {
        var names = Spec.Parameters.Select(p => p.Name).ToHashSet();
        // Float initializers are weights, but for relu6's Clip bounds, scalars 0 and 6; others (a crop's int64 starts and
        // ends) are part of the graph.
        var bounds = Spec.Layers.Where(l => l.Spec is ActivationSpec { Kind: ActivationKind.ReLU6 })
            .SelectMany(l => new[] { ($"{l.Name}.min", 0f), ($"{l.Name}.max", 6f) }).ToDictionary(b => b.Item1, b => b.Item2);
        foreach (var extra in model.Graph.Initializer.Where(t => t.DataType == (int)TensorProto.Types.DataType.Float && !names.Contains(t.Name)))
        {
            if (!bounds.TryGetValue(extra.Name, out float bound))
                throw Problem(Name, $"initializer '{extra.Name}' is not a parameter of the spec '{Spec.DisplayName}'");
            if (extra.Dims.Count != 0 || extra.RawData.Length != sizeof(float) || BitConverter.ToSingle(extra.RawData.Span) != bound)
                throw Problem(Name, $"initializer '{extra.Name}' is not the scalar {bound} of relu6's Clip");
        }
        foreach (var p in Spec.Parameters)
        {
            var tensor = model.Graph.Initializer.FirstOrDefault(t => t.Name == p.Name)
                ?? throw Problem(Name, $"it has no initializer '{p.Name}', which the spec '{Spec.DisplayName}' has");
            string want = $"({string.Join(", ", p.Shape)})";
            if (!tensor.Dims.SequenceEqual(p.Shape))
                throw Problem(Name, $"initializer '{p.Name}' is ({string.Join(", ", tensor.Dims)}); the spec '{Spec.DisplayName}' has {want}");
            if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
                throw Problem(Name, $"initializer '{p.Name}' is not float32");
            long stored = tensor.RawData.Length > 0 ? tensor.RawData.Length / sizeof(float) : tensor.FloatData.Count;
            if (stored != p.Size || tensor.RawData.Length % sizeof(float) != 0)
                throw Problem(Name, $"initializer '{p.Name}' holds {stored} values for its {p.Size}");
        }
    }

    // ONNX Runtime's own checks: every node's operator, attributes and types. A file cut at a message boundary parses,
    // but then lacks what the graph reads, and fails here.
    void CheckLoads()
    {
        try
        {
            using var options = new SessionOptions { IntraOpNumThreads = 1 };
            using var session = new InferenceSession(Bytes, options);
        }
        catch (OnnxRuntimeException e)
        {
            throw Problem(Name, $"ONNX Runtime cannot load it: {OneLine(e.Message)}");
        }
    }

    // A float32 tensor of rank 1 + perItem.Length whose dimensions after the first are perItem (the first is any batch).
    static bool Fits(ValueInfoProto value, long[] perItem)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float || tensor.Shape is null) return false;
        var dims = tensor.Shape.Dim;
        return dims.Count == perItem.Length + 1
            && perItem.Select((d, i) => dims[i + 1].HasDimValue && dims[i + 1].DimValue == d).All(ok => ok);
    }

    static string Describe(ValueInfoProto value)
    {
        var tensor = value.Type?.TensorType;
        if (tensor is null) return "not a tensor";
        string type = (TensorProto.Types.DataType)tensor.ElemType switch
        {
            TensorProto.Types.DataType.Float => "float32",
            TensorProto.Types.DataType.Double => "float64",
            var t when Enum.IsDefined(t) => t.ToString().ToLowerInvariant(),
            _ => $"type {tensor.ElemType}",
        };
        if (tensor.Shape is null) return $"{type} of unknown shape";
        return $"{type} ({string.Join(", ", tensor.Shape.Dim.Select(d => d.HasDimValue ? d.DimValue.ToString() : d.DimParam is { Length: > 0 } p ? p : "?"))})";
    }

    static CnnParityException Problem(string name, string problem) => new($"ONNX model '{name}': {problem}");

    static string OneLine(string message) => message.ReplaceLineEndings(" ").Trim();
}
