using System.CommandLine;
using System.Globalization;
using CnnParity.Cli.Options;
using CnnParity.Onnx;
using CnnParity.Onnx.Export;
using CnnParity.Parity.Deployed;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity export --arch SPEC --onnx FILE [--weights FILE] [--seed S]`: writes the network as an ONNX model —
/// the weights of a training run (`train --save`) or the seed's initial weights — for ONNX Runtime and ML.NET.
/// </summary>
public static class ExportCommand
{
    public static Command Create()
    {
        var arch = new ArchOptions();
        var onnx = new Option<string>("--onnx") { Description = "the .onnx file to write", Required = true };
        var weights = new Option<string?>("--weights") { Description = "weights saved by `train --save` (.npz); without it, the seed's initial weights" };
        var seed = CliOptions.Seed();
        seed.Description = "the seed of the initial weights, or of the run that saved --weights (recorded in the model)";
        var command = new Command("export", "Write the network as an ONNX model (opset 13, dynamic batch, outputs logits and probabilities).");
        arch.AddTo(command);
        foreach (var option in new Option[] { onnx, weights, seed }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            var spec = arch.Spec(parsed);
            string path = parsed.GetValue(onnx)!;
            string? weightsPath = parsed.GetValue(weights);
            uint seedValue = (uint)parsed.GetValue(seed);
            CliOptions.CheckWritableFile("--onnx", path);
            var parameters = weightsPath is null ? SpecWeights.Initial(spec, seedValue) : SpecWeights.Load(weightsPath, spec);
            var provenance = weightsPath is null
                ? ModelProvenance.Initial(seedValue)
                : new ModelProvenance(seedValue, $"weights file {Path.GetFileName(weightsPath)} (a run from seed {seedValue})");
            OnnxExporter.Write(path, spec, name => parameters[name], provenance);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"wrote {path}: {spec.DisplayName}, {spec.ParameterCount:N0} parameters ({provenance.Weights}), opset {OnnxFormat.Opset}, {new FileInfo(path).Length:N0} bytes"));
            return 0;
        });
        return command;
    }
}
