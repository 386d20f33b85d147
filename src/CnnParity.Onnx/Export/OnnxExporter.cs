using CnnParity.Core.Architecture;
using CnnParity.Core.IO;
using Google.Protobuf;
using Onnx;

namespace CnnParity.Onnx.Export;

/// <summary>
/// Writes a network as an ONNX model (<see cref="OnnxFormat"/>): the spec's inference graph (<see cref="SpecGraph"/>),
/// its parameters as float32 initializers, and metadata_props that say what it is and where its weights came from.
/// Serialised by Google.Protobuf from classes generated from ONNX's own onnx.proto, not by a hand-written encoder.
/// </summary>
public static class OnnxExporter
{
    /// <summary>The metadata_props keys.</summary>
    public const string ArchKey = "cnnparity.arch", SpecKey = "cnnparity.spec", SeedKey = "cnnparity.seed",
        VersionKey = "cnnparity.version", WeightsKey = "cnnparity.weights", InputKey = "cnnparity.input";

    /// <summary>The model file's bytes.</summary>
    /// <param name="parameters">each parameter's values by state_dict name, C order of its PyTorch shape</param>
    public static byte[] Export(ArchitectureSpec spec, Func<string, double[]> parameters, ModelProvenance provenance) =>
        Build(spec, parameters, provenance).ToByteArray();

    /// <summary>Writes the model to <paramref name="path"/> whole or not at all (temporary file, then rename).</summary>
    public static void Write(string path, ArchitectureSpec spec, Func<string, double[]> parameters, ModelProvenance provenance) =>
        AtomicFile.WriteAllBytes(path, Export(spec, parameters, provenance));

    internal static ModelProto Build(ArchitectureSpec spec, Func<string, double[]> parameters, ModelProvenance provenance)
    {
        var model = new ModelProto
        {
            IrVersion = OnnxFormat.IrVersion,
            ProducerName = "CnnParity",
            ProducerVersion = ModelProvenance.CnnParityVersion,
            DocString = $"{spec.DisplayName}: {provenance.Weights}. Input {OnnxFormat.InputDescription}; outputs " +
                        $"{OnnxFormat.Logits} and {OnnxFormat.Probabilities} (batch, {ArchitectureSpec.Classes}).",
            Graph = SpecGraph.Build(spec, p => parameters(p.Name)),
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OnnxFormat.Opset });
        foreach (var (key, value) in Metadata(spec, provenance))
            model.MetadataProps.Add(new StringStringEntryProto { Key = key, Value = value });
        return model;
    }

    static IEnumerable<(string, string)> Metadata(ArchitectureSpec spec, ModelProvenance provenance)
    {
        // For ch10 the arch is the preset with its options: its text has a crop that the grammar does not take.
        yield return (ArchKey, spec.IsChapter10
            ? $"{ArchitecturePresets.Chapter10Name} --kernels {spec.Chapter10NumKernels} --grid {spec.Layer("flatten").Input.Height}"
            : spec.DisplayName);
        yield return (SpecKey, spec.Text);
        yield return (SeedKey, provenance.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture));
        yield return (WeightsKey, provenance.Weights);
        yield return (VersionKey, ModelProvenance.CnnParityVersion);
        yield return (InputKey, OnnxFormat.InputDescription);
    }
}
