using System.CommandLine;
using System.Globalization;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Core.Architecture;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.IO;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Writers;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity train`: trains one side of the network alone — the from-scratch engine (ch10: the chapter-10 engine under the
/// book's rule, the default, or the corrected one; any spec: SGD) or its TorchSharp twin — and prints one line per epoch on
/// stdout: the notebook's (<c>I: 0 | Test-Acc: 0.0548 | Train-Acc: 0.076</c>), with the loss where the rule has one
/// (<see cref="TrainingLog.Line"/>); a progress bar per epoch (or one line, with its times) on stderr.
/// </summary>
public static class TrainCommand
{
    public static Command Create()
    {
        var network = new NetworkOptions();
        var impl = CliOptions.OneOf("--impl", "which side: the from-scratch engine or its TorchSharp twin", "scratch", "scratch", "twin");
        var mode = CliOptions.OneOf("--mode", "ch10's update rule (the twin's is always the corrected one)", "book", "book", "corrected");
        var dtype = CliOptions.Dtype("the dtype of the engine or the twin (ch10's book rule runs in f64)");
        var metricsOut = new Option<string?>("--metrics-out") { Description = "write every epoch's numbers to this JSON file" };
        var save = new Option<string?>("--save")
        {
            Description = "write the trained from-scratch weights to this .npz (by state_dict name; ch10: kernels, weights_1_2; see WeightsFile) for `export --weights`",
        };
        var arch = CliOptions.Arch();
        var momentum = CliOptions.Momentum();
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var optimizer = new OptimizerOptions();
        var command = new Command("train", "Train one implementation and print the notebook's log lines (with the loss where there is one).");
        network.AddTo(command);
        optimizer.AddTo(command);
        foreach (var option in new Option[] { impl, mode, dtype, metricsOut, save, arch, momentum, shuffle, decay }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            string implementation = parsed.GetValue(impl)!;
            bool twin = implementation == "twin";
            string? metricsPath = parsed.GetValue(metricsOut), savePath = parsed.GetValue(save);
            if (savePath is not null && twin)
                throw new CnnParityException("--save writes the from-scratch network's weights: use it with --impl scratch");
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            if (spec.IsChapter10) RunOptions.RejectForChapter10(parsed, [momentum, shuffle, decay, .. optimizer.All]);
            var training = RunOptions.Training(parsed, network, optimizer, spec, momentum, parsed.GetValue(shuffle), parsed.GetValue(decay), [mode],
                DtypeNames.Parse(parsed.GetValue(dtype)!));
            var rule = spec.IsChapter10 && !twin && parsed.GetValue(mode) == "book" ? TrainingMode.Book : TrainingMode.Corrected;
            if (rule == TrainingMode.Book && training.Dtype != Dtype.Float64)
                throw new CnnParityException("the book's rule runs on the chapter-10 engine, in f64: give --mode corrected for an f32 run");
            var outputs = new List<string>();
            foreach (var (option, path) in new[] { ("--metrics-out", metricsPath), ("--save", savePath) })
            {
                if (path is null) continue;
                CliOptions.CheckWritableFile(option, path);
                outputs.Add(File.Exists(path) ? $"{path} left as it was" : $"{path} not written");
            }
            if (outputs.Count > 0) Interruption.Outcome = string.Join("; ", outputs);
            Interruption.Activity = "loading the data";
            var (data, _) = DataLoading.Load(parsed.GetValue(network.Dataset)!, parsed.GetValue(network.Data), training.TrainCount, training.TestCount);
            TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp
            TorchRuntime.Pin();
            return Run(training, data, twin, rule, implementation, metricsPath, savePath);
        });
        return command;
    }

    static int Run(SpecTrainerOptions options, ScratchData data, bool twin, TrainingMode rule, string implementation, string? metricsPath, string? savePath)
    {
        string which = SpecTraining.Name(twin, options.Dtype, rule);
        bool bar = !Console.IsErrorRedirected;
        var progress = Interruption.Track(new CliProgress());
        Action<string?>? step = null;
        Interruption.Activity = $"training {implementation} ({which}), before its first epoch";
        var result = SpecTraining.Run(options, data, twin,
            onEpoch: (record, _) =>
            {
                Console.WriteLine(TrainingLog.Line(record));
                Console.Out.Flush();
                Interruption.Activity = $"training {implementation}, epoch {record.Epoch + 2}/{options.Epochs}";
            },
            onBatch: _ => { if (bar) step?.Invoke(null); },
            // One phase per epoch: its stdout line is printed once the epoch's bar is done, never under a live bar.
            // The phase names the epoch as an interruption reports it: "training twin, epoch 3/300".
            runEpoch: (epoch, work) => progress.Phase($"training {implementation}, epoch {epoch + 1}/{options.Epochs}",
                bar ? options.BatchesPerEpoch : 1, s =>
                {
                    step = s;
                    var outcome = work();
                    if (!bar) s(string.Create(CultureInfo.InvariantCulture,
                        $"{outcome.TrainTime.TotalSeconds:F1} s training, {outcome.TestTime.TotalSeconds:F1} s test"));
                    return outcome;
                }),
            cancel: Interruption.Token, mode: rule);

        Interruption.ThrowIfRequested(); // past this point the files are written whole
        if (metricsPath is not null)
            AtomicFile.WriteAllText(metricsPath, TrainingMetricsJson.Render(result, options, implementation, rule));
        if (result.Run.Diverged is not null)
            throw new CnnParityException($"{result.Run.Model}: {result.Run.Diverged}" + (savePath is null ? "" : $" ({savePath} not written)"), exitCode: 1);
        if (savePath is not null)
        {
            // ch10's file holds the notebook's own arrays (kernels, weights_1_2), as reference/cnn_reference.py does.
            if (options.Spec.IsChapter10)
                WeightsFile.SaveChapter10(savePath, NotebookParameters.ToNotebook(result.Final!, NotebookLayout.Of(options.Spec).Config));
            else
                WeightsFile.Save(savePath, options.Spec, name => result.Final![name]);
        }
        return 0;
    }
}
