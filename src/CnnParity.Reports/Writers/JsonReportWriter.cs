using System.Text.Json;
using CnnParity.Core;
using CnnParity.Parity.Results;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Testing;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>
/// parity-report.json: the report for machines. Keys are written in a fixed order by hand (no reflection), the
/// schema version comes first, and everything that varies between two runs with the same seed — wall-clock
/// timings — sits in the last section, "timings", so the rest is byte-identical between such runs.
/// </summary>
public static class JsonReportWriter
{
    public const string FileName = "parity-report.json";

    /// <summary>The top-level keys, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> TopLevelKeys =
    [
        "schemaVersion", "verdict", "reasons", "environment", "configuration", "tolerances", "forward", "gradients",
        "lockstepLimit", "lockstep", "bookRule", "training", "metrics", "deployed", "bookPrintedRun", "timings",
    ];

    public static string Render(ParityReport report, IReadOnlyList<ClassificationMetrics> metrics) => CheckRowsJson.Document(o =>
    {
        CheckRowsJson.Verdict(o, report.Verdict, report.Reasons, report.Backend);
        Environment(o, report.Environment);
        Configuration(o, report.Configuration);
        // The check rows as the parity file writes them: one schema for both (ParityReport.SchemaVersion).
        CheckRowsJson.Tolerances(o, CheckRowsJson.UsedTolerances([report.Checks], report.Configuration.LearningRate, report.Configuration.Rule));
        CheckRowsJson.Checks(o, report.Checks);
        CheckRowsJson.BookRule(o, report.BookRule);
        Array(o, "training", report.Training, Training);
        Array(o, "metrics", metrics, Metrics);
        Deployed(o, report.Deployed);
        BookPrinted(o, report.Configuration);
        Timings(o, report.Speed, bookRun: report.BookRule.Count > 0);
    });

    private static void Environment(JsonOut o, ReportEnvironment e)
    {
        o.W.WriteStartObject("environment");
        o.String("cpu", e.Cpu);
        o.Int("logicalCores", e.LogicalCores);
        o.Int("threads", e.Threads);
        o.String("os", e.Os);
        o.String("dotnet", e.DotNet);
        o.String("cnnParity", e.CnnParity);
        o.String("torchSharp", e.TorchSharp);
        o.String("libTorch", e.LibTorch);
        o.String("mlNet", e.MlNet);
        o.String("numPy", e.NumPy);
        if (e.LibTorchWarnings is { Count: > 0 } warnings) // only when LibTorch warned: a quiet run's JSON stays as it was
        {
            o.W.WriteStartArray("libTorchWarnings");
            foreach (string warning in warnings) o.W.WriteStringValue(warning);
            o.W.WriteEndArray();
        }
        o.W.WriteEndObject();
    }

    private static void Configuration(JsonOut o, ReportConfiguration c)
    {
        o.W.WriteStartObject("configuration");
        o.String("dataset", c.Dataset);
        o.Int("seed", c.Seed);
        NullableInt(o, "kernels", c.NumKernels);
        NullableInt(o, "grid", c.Grid);
        o.Int("epochs", c.Epochs);
        o.Int("trainCount", c.TrainCount);
        o.Int("testCount", c.TestCount);
        o.Int("batchSize", c.BatchSize);
        o.Number("learningRate", c.LearningRate);
        o.Bool("quick", c.Quick);
        o.String("pinnedForDeterminism", c.PinnedForDeterminism);
        o.String("numPyExp", c.NumPyExp);
        o.String("numPyExpChosenBy", c.NumPyExpReason);
        o.String("arch", c.Arch);
        o.String("spec", c.Spec);
        o.Number("momentum", c.Momentum);
        o.Number("learningRateDecay", c.LearningRateDecay);
        o.Bool("shuffle", c.Shuffle);
        o.String("optimizer", c.Rule.Name);
        o.Number("weightDecay", c.Rule.WeightDecay);
        foreach (var (name, value) in new[] { ("beta1", c.Rule.Beta1), ("beta2", c.Rule.Beta2), ("eps", c.Rule.Eps) })
        {
            if (c.Rule.IsAdam) o.Number(name, value);
            else o.W.WriteNull(name);
        }
        o.W.WriteEndObject();
    }

    private static void NullableInt(JsonOut o, string name, int? value)
    {
        if (value is int v) o.Int(name, v);
        else o.W.WriteNull(name);
    }

    private static void Distance(JsonOut o, TensorDistance d)
    {
        o.W.WriteStartObject("distance");
        o.Number("maxAbs", d.MaxAbs);
        o.Number("maxRel", d.MaxRel);
        o.Int("maxUlp", d.MaxUlp);
        o.Int("count", d.Count);
        o.Int("bitwiseEqual", d.BitwiseEqual);
        o.Number("bitwiseEqualFraction", d.Count == 0 ? null : (double)d.BitwiseEqual / d.Count);
        o.W.WriteEndObject();
    }

    private static void Tolerance(JsonOut o, Tolerance t)
    {
        o.W.WriteStartObject("tolerance");
        o.String("name", t.Name);
        o.Number("rtol", t.Rtol);
        o.Number("atol", t.Atol);
        o.String("why", t.Why);
        o.W.WriteEndObject();
    }

    /// <summary>Per-epoch curves as parallel arrays (index i is epoch[i]); the test predictions stay out (ML.NET metrics summarise them).</summary>
    private static void Training(JsonOut o, TrainingRun r)
    {
        o.String("model", r.Model);
        o.String("diverged", r.Diverged);
        o.Int("testCount", r.TestLabels.Length);
        o.Integers("epoch", r.Epochs.Select(e => (long)e.Epoch));
        o.Numbers("testAcc", r.Epochs.Select(e => e.TestAcc));
        o.Numbers("trainAcc", r.Epochs.Select(e => e.TrainAcc));
        o.Numbers("loss", r.Epochs.Select(e => e.Loss));
        o.Numbers("maxParamRelDiff", r.Epochs.Select(e => e.MaxParamRelDiff));
        o.Numbers("sensitivity", r.Epochs.Select(e => e.Sensitivity));
        if (r.Flips is null) o.W.WriteNull("flips");
        else CheckRowsJson.Flips(o, r.Flips);
        if (r.Epochs.Count == 0)
        {
            o.W.WriteNull("final");
            o.W.WriteNull("best");
            return;
        }
        var last = r.Epochs[^1];
        o.W.WriteStartObject("final");
        o.Int("epoch", last.Epoch);
        o.Number("testAcc", last.TestAcc);
        o.Number("trainAcc", last.TrainAcc);
        o.W.WriteEndObject();
        var best = r.Epochs.MaxBy(e => e.TestAcc)!;
        o.W.WriteStartObject("best");
        o.Int("epoch", best.Epoch);
        o.Number("testAcc", best.TestAcc);
        o.W.WriteEndObject();
    }

    private static void Metrics(JsonOut o, ClassificationMetrics m)
    {
        o.String("model", m.Model);
        o.Int("count", m.Count);
        o.Number("microAccuracy", m.MicroAccuracy);
        o.Number("macroAccuracy", m.MacroAccuracy);
        o.Number("logLoss", m.LogLoss, m.LogLossUnavailable);
        o.Number("logLossReduction", m.LogLossReduction, m.LogLossUnavailable);
        o.Numbers("perClassPrecision", m.PerClassPrecision);
        o.Numbers("perClassRecall", m.PerClassRecall);
        o.IntegerRows("confusionMatrix", m.ConfusionMatrix);
    }

    /// <summary>The exported ONNX model against the from-scratch network and the twin; null when the run exported none.</summary>
    private static void Deployed(JsonOut o, DeployedModelSection? section)
    {
        if (section is null) { o.W.WriteNull("deployed"); return; }
        var d = section.Model;
        o.W.WriteStartObject("deployed");
        o.String("arch", d.Arch);
        o.String("spec", d.Spec);
        o.String("weights", d.Weights);
        o.String("runtimes", section.Runtimes);
        o.Int("fileBytes", d.FileBytes);
        o.Int("opset", d.Opset);
        o.Int("irVersion", d.IrVersion);
        o.Int("nodes", d.Nodes);
        o.Int("parameters", d.Parameters);
        o.Int("testCount", d.TestCount);
        CheckRowsJson.Rows(o, "checks", d.Checks);
        Array(o, "agreements", d.Agreements, (o, a) =>
        {
            o.String("implementation", a.Implementation);
            o.Int("count", a.Count);
            o.Int("flipped", a.Flipped);
            o.Int("unexplained", a.Unexplained);
            Array(o, "flips", a.Flips, (o, f) =>
            {
                o.Int("image", f.Image);
                o.Int("prediction", f.Prediction);
                o.Int("truthPrediction", f.TruthPrediction);
                o.Number("truthMargin", f.TruthMargin);
                o.Bool("explained", f.Explained);
            });
        });
        Array(o, "accuracies", d.Accuracies, (o, a) =>
        {
            o.String("model", a.Model);
            o.Int("correct", a.Correct);
            o.Int("count", a.Count);
            o.Number("accuracy", a.Accuracy);
        });
        o.W.WriteStartObject("mlNetMetrics");
        Metrics(o, section.MlNetMetrics);
        o.W.WriteEndObject();
        o.Bool("pass", d.Pass);
        o.W.WriteEndObject();
    }

    /// <summary>The book's printed run when this is the book's configuration, else null.</summary>
    private static void BookPrinted(JsonOut o, ReportConfiguration c)
    {
        if (!c.IsBookPrintedRun) { o.W.WriteNull("bookPrintedRun"); return; }
        o.W.WriteStartObject("bookPrintedRun");
        o.String("line", BookPrintedRun.Line);
        o.Int("epoch", BookPrintedRun.Epoch);
        o.Number("testAcc", BookPrintedRun.TestAcc);
        o.Number("trainAcc", BookPrintedRun.TrainAcc);
        o.W.WriteEndObject();
    }

    /// <summary>Everything measured in seconds, last, so the rest of the file is byte-identical between runs.</summary>
    /// <param name="bookRun">the network trains by the book's rule (ch10), so a missing book-run time means the run diverged</param>
    private static void Timings(JsonOut o, SpeedSection speed, bool bookRun)
    {
        o.W.WriteStartObject("timings");
        Array(o, "speed", speed.Rows, Speed);
        if (speed.Floor is { } f)
        {
            o.W.WriteStartObject("computeFloor");
            o.Number("multiplyAdds", f.MultiplyAdds);
            o.Number("multiplyAddsPerSecondPerThread", f.MultiplyAddsPerSecondPerThread);
            o.Int("threads", f.Threads);
            o.Number("seconds", f.Seconds);
            o.Int("vectorBits", f.VectorBits);
            o.String("rateMeasuredBy", ComputeFloorRow.MeasuredBy);
            o.String("counted", f.Counted);
            o.W.WriteEndObject();
        }
        else o.W.WriteNull("computeFloor");
        o.Number("scratchBookTrainingSeconds", speed.ScratchBookTrainingSeconds,
            bookRun ? "the book run diverged" : "no book run: the book's rule belongs to ch10");
        Array(o, "speedGoals", speed.Goals, Goal);
        o.W.WriteEndObject();
    }

    private static void Goal(JsonOut o, SpeedGoal g)
    {
        o.String("name", g.Name);
        o.Number("measured", g.Measured);
        o.Number("roundMin", g.RoundMin);
        o.Number("roundMax", g.RoundMax);
        o.String("unit", g.Unit);
        o.String("target", g.Target);
        o.String("appliesTo", g.AppliesTo);
        o.String("against", g.Against);
        // null: the goal was set for another configuration (appliesTo), so this run neither meets nor misses it.
        if (g.Met is { } met) o.Bool("met", met);
        else o.W.WriteNull("met");
    }

    private static void Speed(JsonOut o, SpeedRow s)
    {
        o.String("implementation", s.Implementation);
        o.String("work", s.Work);
        o.Int("repetitions", s.Repetitions);
        o.Number("medianSeconds", s.MedianSeconds);
        o.Number("minSeconds", s.MinSeconds);
        o.Number("maxSeconds", s.MaxSeconds);
        o.Number("ratioToFastest", s.RatioToFastest);
        o.Number("roundRatioMin", s.RoundRatioMin);
        o.Number("roundRatioMax", s.RoundRatioMax);
    }

    private static void Array<T>(JsonOut o, string name, IEnumerable<T> items, Action<JsonOut, T> writeFields) =>
        CheckRowsJson.Array(o, name, items, writeFields);
}
