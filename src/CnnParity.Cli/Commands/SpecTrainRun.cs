using System.Globalization;
using System.Text.Json;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.IO;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Onnx;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `train --arch SPEC` for any spec but ch10: the from-scratch engine (or, with --impl twin, its TorchSharp twin) trained
/// by SGD, one line per epoch on stdout (the loss and both accuracies, the same for the same seed on any machine), a
/// progress bar per epoch on stderr (one line per epoch when stderr is not a terminal, with the epoch's times).
/// </summary>
internal static class SpecTrainRun
{
    public static int Run(SpecTrainerOptions options, ScratchData data, bool twin, string? metricsPath, string? savePath)
    {
        string which = SpecTraining.Name(twin, options.Dtype);
        bool bar = !Console.IsErrorRedirected;
        var progress = Interruption.Track(new CliProgress());
        Action<string?>? step = null;
        Interruption.Activity = $"training {which}, epoch 0";
        var result = SpecTraining.Run(options, data, twin,
            onEpoch: (record, _) =>
            {
                Console.WriteLine(Line(record));
                Console.Out.Flush();
                Interruption.Activity = $"training {which}, epoch {record.Epoch + 1}";
            },
            onBatch: _ => { if (bar) step?.Invoke(null); },
            // One phase per epoch: its stdout line is printed once the epoch's bar is done, never under a live bar.
            runEpoch: (epoch, work) => progress.Phase(EpochTitle(epoch, options, which), bar ? options.BatchesPerEpoch : 1, s =>
            {
                step = s;
                var outcome = work();
                if (!bar) s(string.Create(CultureInfo.InvariantCulture,
                    $"{outcome.TrainTime.TotalSeconds:F1} s training, {outcome.TestTime.TotalSeconds:F1} s test"));
                return outcome;
            }),
            cancel: Interruption.Token);
        return Finish(result, options, twin, metricsPath, savePath);
    }

    static string EpochTitle(int epoch, SpecTrainerOptions options, string which) =>
        $"{options.Spec.DisplayName}, {which}, epoch {epoch + 1}/{options.Epochs}";

    /// <summary>
    /// The notebook's log line with the loss: <c>I: 0 | Loss: 0.220699 | Test-Acc: 0.9676 | Train-Acc: 0.93255</c> (lenet5,
    /// 60,000 images, batch 32, lr 0.05, momentum 0.9).
    /// </summary>
    public static string Line(EpochRecord e) => string.Create(CultureInfo.InvariantCulture,
        $"I: {e.Epoch} | Loss: {e.Loss:F6} | Test-Acc: {PythonFloat.RoundRepr(e.TestAcc, 5)} | Train-Acc: {PythonFloat.RoundRepr(e.TrainAcc, 5)}");

    static int Finish(SpecTraining.Result result, SpecTrainerOptions options, bool twin, string? metricsPath, string? savePath)
    {
        Interruption.ThrowIfRequested(); // past this point the files are written whole
        if (metricsPath is not null)
            AtomicFile.WriteAllText(metricsPath, MetricsJson(result, options, twin));
        if (result.Run.Diverged is not null)
            throw new CnnParityException($"{result.Run.Model}: {result.Run.Diverged}" + (savePath is null ? "" : $" ({savePath} not written)"), exitCode: 1);
        if (savePath is not null)
            WeightsFile.Save(savePath, options.Spec, name => result.Final![name]);
        return 0;
    }

    static string MetricsJson(SpecTraining.Result result, SpecTrainerOptions o, bool twin)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema_version", 1);
            json.WriteString("model", result.Run.Model);
            json.WriteString("impl", twin ? "twin" : "scratch");
            json.WriteStartObject("config");
            json.WriteString("arch", o.Spec.DisplayName);
            json.WriteString("spec", o.Spec.Text);
            json.WriteString("dtype", o.Dtype.ShortName());
            json.WriteNumber("seed", o.Seed);
            json.WriteNumber("batch", o.BatchSize);
            json.WriteNumber("lr", o.LearningRate);
            json.WriteNumber("momentum", o.Momentum);
            if (o.LearningRateDecay != 1) json.WriteNumber("lr_decay", o.LearningRateDecay); // only when set, as shuffle
            if (o.Shuffle) json.WriteBoolean("shuffle", true); // written only when set: unshuffled runs' files stay as they were
            json.WriteNumber("train", o.TrainCount);
            json.WriteNumber("test", o.TestCount);
            json.WriteString("numpy_exp", NumPyExpDispatch.Name(o.Exp));
            json.WriteEndObject();
            json.WriteStartArray("epochs");
            foreach (var (e, outcome) in result.Run.Epochs.Zip(result.Outcomes))
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", e.Epoch);
                json.WriteNumber("loss", e.Loss!.Value);
                json.WriteNumber("test_acc", e.TestAcc);
                json.WriteNumber("train_acc", e.TrainAcc);
                json.WriteNumber("train_seconds", outcome.TrainTime.TotalSeconds);
                json.WriteNumber("test_seconds", outcome.TestTime.TotalSeconds);
                json.WriteString("log", Line(e));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (result.Run.Diverged is null) json.WriteNull("diverged"); else json.WriteString("diverged", result.Run.Diverged);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
