using System.CommandLine;
using System.Text.Json;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Core.Engines;
using CnnParity.Core.IO;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Parity;
using CnnParity.Parity.Results;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity train`: trains one implementation and prints the notebook's log line per epoch on stdout
/// (`I: 0 | Test-Acc: 0.0548 | Train-Acc: 0.076`); timings go to stderr. With --arch SPEC (not ch10), the engine or its
/// twin trained by SGD (<see cref="SpecTrainRun"/>), the loss in each line.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions();
        var impl = CliOptions.OneOf("--impl", "which implementation", "scratch", "scratch", "twin", "idiomatic");
        var mode = CliOptions.OneOf("--mode", "update rule (twin and idiomatic are always corrected)", "book", "book", "corrected");
        var dtype = CliOptions.Dtype("TorchSharp dtype (a spec: the dtype of the engine or the twin)");
        var metricsOut = new Option<string?>("--metrics-out") { Description = "write every epoch's numbers to this JSON file" };
        var save = new Option<string?>("--save")
        {
            Description = "write the trained from-scratch weights to this .npz (by state_dict name; ch10: kernels, weights_1_2; see WeightsFile) for `export --weights`",
        };
        var arch = CliOptions.Arch();
        var momentum = CliOptions.Momentum();
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var command = new Command("train", "Train one implementation and print the notebook's log lines (a spec: with the loss).");
        network.AddTo(command);
        foreach (var option in new Option[] { impl, mode, dtype, metricsOut, save, arch, momentum, shuffle, decay }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            string implementation = parsed.GetValue(impl)!;
            string? metricsPath = parsed.GetValue(metricsOut), savePath = parsed.GetValue(save);
            if (savePath is not null && implementation != "scratch")
                throw new CnnParityException("--save writes the from-scratch network's weights: use it with --impl scratch");
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            SpecTrainerOptions? training = null;
            if (!spec.IsChapter10)
            {
                if (implementation == "idiomatic")
                    throw new CnnParityException("--impl idiomatic is ch10's own TorchSharp model; a spec trains --impl scratch or twin");
                training = SpecOptions.Training(parsed, network, spec, parsed.GetValue(momentum), parsed.GetValue(shuffle), parsed.GetValue(decay), [mode], DtypeNames.Parse(parsed.GetValue(dtype)!));
            }
            else SpecOptions.RejectForChapter10(parsed, momentum, shuffle, decay);
            var config = training is null
                ? network.Config(parsed, parsed.GetValue(mode) == "corrected" ? TrainingMode.Corrected : TrainingMode.Book)
                : null;
            var outputs = new List<string>();
            foreach (var (option, path) in new[] { ("--metrics-out", metricsPath), ("--save", savePath) })
            {
                if (path is null) continue;
                CliOptions.CheckWritableFile(option, path);
                outputs.Add(File.Exists(path) ? $"{path} left as it was" : $"{path} not written");
            }
            if (outputs.Count > 0) Interruption.Outcome = string.Join("; ", outputs);
            Interruption.Activity = "loading the data";
            var (data, _) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data),
                training?.TrainCount ?? config!.TrainCount, training?.TestCount ?? config!.TestCount);
            TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp
            TorchRuntime.Pin();
            if (training is not null)
                return SpecTrainRun.Run(training, data, twin: implementation == "twin", metricsPath, savePath);
            var chapter10 = config!;
            Interruption.Activity = $"training {implementation}, epoch 0";
            Action<EpochRecord> print = e =>
            {
                Console.WriteLine(NotebookLog.Line(e.Epoch, e.TestAcc, e.TrainAcc));
                Console.Out.Flush();
                Interruption.Activity = $"training {implementation}, epoch {e.Epoch + 1}";
            };
            var type = DtypeNames.Parse(parsed.GetValue(dtype)!);
            var cancel = Interruption.Token;
            ScratchNetwork? trained = null;
            TrainingRun run = implementation switch
            {
                "scratch" => ScratchTraining.Run(chapter10, data, print, cancel, network => trained = network),
                "twin" => LockstepTraining.Run(chapter10, data, type, print, cancel).Twin,
                _ => IdiomaticTraining.Run(chapter10, data, type, print, cancel),
            };
            Interruption.ThrowIfRequested(); // past this point the metrics file is written whole
            if (metricsPath is not null)
                AtomicFile.WriteAllText(metricsPath, MetricsJson(run, chapter10, implementation));
            if (run.Diverged is not null)
                throw new CnnParityException($"{run.Model}: {run.Diverged}" + (savePath is null ? "" : $" ({savePath} not written)"), exitCode: 1);
            if (savePath is not null)
                WeightsFile.SaveChapter10(savePath, trained!);
            return 0;
        });
        return command;
    }

    static string MetricsJson(TrainingRun run, ScratchConfig config, string implementation)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema_version", 1);
            json.WriteString("model", run.Model);
            json.WriteString("impl", implementation);
            json.WriteStartObject("config");
            json.WriteNumber("seed", config.Seed);
            json.WriteNumber("kernels", config.NumKernels);
            json.WriteNumber("grid", config.Grid);
            json.WriteNumber("batch", config.BatchSize);
            json.WriteNumber("lr", config.Alpha);
            json.WriteNumber("train", config.TrainCount);
            json.WriteNumber("test", config.TestCount);
            json.WriteString("mode", config.Mode.ToString().ToLowerInvariant());
            json.WriteString("numpy_exp", NumPyExpDispatch.Name(config.Exp));
            json.WriteEndObject();
            json.WriteStartArray("epochs");
            foreach (var e in run.Epochs)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", e.Epoch);
                json.WriteNumber("test_acc", e.TestAcc);
                json.WriteNumber("train_acc", e.TrainAcc);
                if (e.Loss is { } loss) json.WriteNumber("loss", loss);
                if (e.MaxParamRelDiff is { } diff) json.WriteNumber("max_param_rel_diff", diff);
                json.WriteString("log", NotebookLog.Line(e.Epoch, e.TestAcc, e.TrainAcc));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (run.Diverged is null) json.WriteNull("diverged"); else json.WriteString("diverged", run.Diverged);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
