using System.Text.Json;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Core.Engines.Chapter10;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Parity.Specs;

namespace CnnParity.Reports.Writers;

/// <summary>
/// What <c>train --metrics-out</c> writes, for any network: the run's configuration and every epoch's numbers (loss where
/// the rule has one, accuracies, times) with the line <c>train</c> printed for it (<see cref="TrainingLog.Line"/>).
/// </summary>
public static class TrainingMetricsJson
{
    /// <summary>
    /// 2: one file for every network (formerly one for ch10 and one for a spec, both 1): "config" names the network
    /// ("arch", "spec"; "kernels" and "grid" for ch10), its dtype, update rule ("mode": book, corrected, or a spec's optimizer: sgd, adam, adamw) and SGD
    /// ("momentum"; "lr_decay" and "shuffle" only when set; since Adam "optimizer", "weight_decay" and Adam's "beta1", "beta2",
    /// "eps" when other than SGD without weight decay); each epoch its times ("train_seconds", "test_seconds").
    /// </summary>
    public const int SchemaVersion = 2;

    /// <param name="impl">"scratch" or "twin"</param>
    public static string Render(SpecTraining.Result result, SpecTrainerOptions o, string impl, TrainingMode mode)
    {
        using var stream = new MemoryStream();
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteNumber("schema_version", SchemaVersion);
            json.WriteString("model", result.Run.Model);
            json.WriteString("impl", impl);
            json.WriteStartObject("config");
            json.WriteString("arch", o.Spec.DisplayName);
            json.WriteString("spec", o.Spec.Text);
            if (o.Spec.IsChapter10)
            {
                var layout = NotebookLayout.Of(o.Spec);
                json.WriteNumber("kernels", layout.NumKernels);
                json.WriteNumber("grid", layout.Grid);
            }
            json.WriteString("dtype", o.Dtype.ShortName());
            json.WriteString("mode", !o.Spec.IsChapter10 ? o.Optimizer.Name : mode.ToString().ToLowerInvariant());
            json.WriteNumber("seed", o.Seed);
            json.WriteNumber("batch", o.BatchSize);
            json.WriteNumber("lr", o.LearningRate);
            json.WriteNumber("momentum", o.Momentum);
            if (o.LearningRateDecay != 1) json.WriteNumber("lr_decay", o.LearningRateDecay); // only when set, as shuffle
            if (o.Shuffle) json.WriteBoolean("shuffle", true); // written only when set: unshuffled runs' files stay as they were
            if (o.Optimizer != OptimizerSettings.Sgd) // likewise: SGD without weight decay writes nothing new
            {
                json.WriteString("optimizer", o.Optimizer.Name);
                json.WriteNumber("weight_decay", o.Optimizer.WeightDecay);
                if (o.Optimizer.IsAdam)
                {
                    json.WriteNumber("beta1", o.Optimizer.Beta1);
                    json.WriteNumber("beta2", o.Optimizer.Beta2);
                    json.WriteNumber("eps", o.Optimizer.Eps);
                }
            }
            json.WriteNumber("train", o.TrainCount);
            json.WriteNumber("test", o.TestCount);
            json.WriteString("numpy_exp", NumPyExpDispatch.Name(o.Exp));
            json.WriteEndObject();
            json.WriteStartArray("epochs");
            foreach (var (e, outcome) in result.Run.Epochs.Zip(result.Outcomes))
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", e.Epoch);
                if (e.Loss is double loss) json.WriteNumber("loss", loss);
                json.WriteNumber("test_acc", e.TestAcc);
                json.WriteNumber("train_acc", e.TrainAcc);
                json.WriteNumber("train_seconds", outcome.TrainTime.TotalSeconds);
                json.WriteNumber("test_seconds", outcome.TestTime.TotalSeconds);
                json.WriteString("log", TrainingLog.Line(e));
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (result.Run.Diverged is null) json.WriteNull("diverged"); else json.WriteString("diverged", result.Run.Diverged);
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }
}
