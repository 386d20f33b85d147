using CnnParity.Testing;
using CnnParity.Testing.Rendering;
using System.Globalization;
using System.Text.Json;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Model;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Specs;

/// <summary>
/// The parity file: the JSON of a <see cref="SpecParityReport"/> (what <c>parity</c> writes for any network, ch10 included,
/// and <c>parity --grid</c> for a grid, and what <c>report merge</c> reads): keys in a fixed order, doubles as shortest
/// round-trip text, so the same run gives the same bytes and a file read back is the report that was written
/// (<see cref="Read"/>). No timings: nothing in it varies between two runs with the same seed. Its check rows are
/// parity-report.json's (<see cref="CheckRowsJson"/>), under the same schema version (<see cref="ParityReport.SchemaVersion"/>).
/// </summary>
public static class SpecParityJson
{
    /// <summary>Written first, so a reader can tell this file from a chapter-10 parity-report.json.</summary>
    public const string Kind = "cnnparity-spec-parity";

    public static string Render(SpecParityReport report) => CheckRowsJson.Document(o =>
    {
        o.String("kind", Kind);
        CheckRowsJson.Verdict(o, report.Verdict, report.Reasons, report.Backend);
        Settings(o, report.Settings);
        Grid(o, report.Grid);
        CheckRowsJson.Tolerances(o, UsedTolerances(report));
        o.W.WriteStartArray("specs");
        foreach (var r in report.Results) Result(o, r);
        o.W.WriteEndArray();
    });

    static void Settings(JsonOut o, SpecParitySettings s)
    {
        o.W.WriteStartObject("settings");
        o.Int("seed", s.Seed);
        o.Int("batch", s.Batch);
        o.Int("testCount", s.TestCount);
        o.Int("finiteDifferenceSample", s.FiniteDifferenceSample);
        o.Int("threads", s.Threads);
        o.Int("lockstepEpochs", s.LockstepEpochs);
        o.Int("trainCount", s.TrainCount);
        o.Number("learningRate", s.LearningRate);
        o.Number("momentum", s.Momentum);
        o.String("lockstepDtype", s.LockstepDtype.ShortName());
        if (s.LearningRateDecay != 1) o.Number("learningRateDecay", s.LearningRateDecay); // only when set, as shuffle
        if (s.Shuffle) o.Bool("shuffle", true); // written only when set: files of unshuffled runs stay as they were
        if (s.Optimizer != OptimizerSettings.Sgd) Optimizer(o, s.Optimizer); // likewise: SGD without weight decay writes nothing new
        o.W.WriteEndObject();
    }

    /// <summary>A run's optimizer: "optimizer" (sgd, adam, adamw), "weightDecay", and Adam's "beta1", "beta2", "eps".</summary>
    internal static void Optimizer(JsonOut o, OptimizerSettings optimizer)
    {
        o.String("optimizer", optimizer.Name);
        o.Number("weightDecay", optimizer.WeightDecay);
        if (!optimizer.IsAdam) return;
        o.Number("beta1", optimizer.Beta1);
        o.Number("beta2", optimizer.Beta2);
        o.Number("eps", optimizer.Eps);
    }

    /// <summary>The optimizer <see cref="Optimizer(JsonOut, OptimizerSettings)"/> wrote, or SGD without weight decay when it wrote none.</summary>
    internal static OptimizerSettings ReadOptimizer(JsonElement s)
    {
        if (!s.TryGetProperty("optimizer", out var name) || name.ValueKind != JsonValueKind.String) return OptimizerSettings.Sgd;
        var d = new OptimizerSettings();
        double Or(string property, double fallback) => s.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;
        return new OptimizerSettings(OptimizerSettings.Parse(name.GetString()!), Or("weightDecay", 0), Or("beta1", d.Beta1), Or("beta2", d.Beta2), Or("eps", d.Eps));
    }

    static void Grid(JsonOut o, GridSelection? g)
    {
        if (g is null) { o.W.WriteNull("grid"); return; }
        o.W.WriteStartObject("grid");
        o.Int("count", g.Count);
        // A ulong seed may exceed a double's exact range in other readers: written as a string.
        o.String("seed", g.Seed.ToString(CultureInfo.InvariantCulture));
        o.Integers("shards", g.Shards.Select(s => (long)s));
        o.Int("shardCount", g.ShardCount);
        o.W.WriteEndObject();
    }

    static void Result(JsonOut o, SpecParityResult r)
    {
        o.W.WriteStartObject();
        if (r.Index is int index) o.Int("index", index); else o.W.WriteNull("index");
        o.String("spec", r.Spec);
        o.String("verdict", r.Passed ? "PASS" : "FAIL");
        o.W.WriteStartArray("reasons");
        foreach (var reason in r.Reasons) o.W.WriteStringValue(reason);
        o.W.WriteEndArray();
        o.String("problem", r.Problem);
        o.W.WriteStartObject("worstRatio");
        o.Number("forwardFloat64", r.WorstForward(Dtype.Float64));
        o.Number("forwardFloat32", r.WorstForward(Dtype.Float32));
        o.Number("gradientFloat64", r.WorstGradient(Dtype.Float64));
        o.Number("gradientFloat32", r.WorstGradient(Dtype.Float32));
        o.W.WriteEndObject();
        o.Int("decidedByRounding", r.DecidedByRounding);
        o.String("text", r.Text);
        CheckRowsJson.Checks(o, r);
        CheckRowsJson.BookRule(o, r.BookRule);
        CheckRowsJson.Flips(o, r.Flips);
        o.W.WriteEndObject();
    }

    /// <summary>Every tolerance the report's checks used, once each, in order of first use.</summary>
    public static IReadOnlyList<Tolerance> UsedTolerances(SpecParityReport report) =>
        CheckRowsJson.UsedTolerances(report.Results, report.Settings.LearningRate, report.Settings.Optimizer);

    /// <summary>The report in <paramref name="path"/>; a file that is not one is a one-line <see cref="CnnParityException"/>.</summary>
    public static SpecParityReport Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CnnParityException($"cannot read '{path}': {e.Message}");
        }
        try
        {
            using var json = JsonDocument.Parse(text);
            var root = json.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("kind", out var kind) || kind.ValueKind != JsonValueKind.String || kind.GetString() != Kind)
                throw new FormatException($"it is not a spec parity file (no \"kind\": \"{Kind}\"; write one with parity --arch or --grid)");
            int version = root.GetProperty("schemaVersion").GetInt32();
            // Rows judged against the float64 truth came with schema 7; older files hold engine-against-twin rows.
            if (version != ParityReport.SchemaVersion)
                throw new FormatException($"schema version {version}, this build reads {ParityReport.SchemaVersion} (check the specs again to rewrite it)");
            return new SpecParityReport(ReadSettings(root.GetProperty("settings")), ReadGrid(root.GetProperty("grid")),
                root.GetProperty("specs").EnumerateArray().Select(ReadResult).ToList());
        }
        catch (Exception e) when (e is JsonException or FormatException or KeyNotFoundException or InvalidOperationException or CnnParityException)
        {
            throw new CnnParityException($"'{path}' is not a readable spec parity file: {e.Message}");
        }
    }

    static SpecParitySettings ReadSettings(JsonElement s) => new(
        s.GetProperty("seed").GetUInt32(), s.GetProperty("batch").GetInt32(), s.GetProperty("testCount").GetInt32(),
        s.GetProperty("finiteDifferenceSample").GetInt32(), s.GetProperty("threads").GetInt32(), s.GetProperty("lockstepEpochs").GetInt32(),
        s.GetProperty("trainCount").GetInt32(), Number(s, "learningRate"), Number(s, "momentum"),
        DtypeNames.Parse(s.GetProperty("lockstepDtype").GetString()!),
        Shuffle: s.TryGetProperty("shuffle", out var shuffle) && shuffle.GetBoolean(),
        LearningRateDecay: s.TryGetProperty("learningRateDecay", out var decay) ? decay.GetDouble() : 1) { Optimizer = ReadOptimizer(s) };

    static GridSelection? ReadGrid(JsonElement g) => g.ValueKind == JsonValueKind.Null ? null : new GridSelection(
        g.GetProperty("count").GetInt32(), ulong.Parse(g.GetProperty("seed").GetString()!, CultureInfo.InvariantCulture),
        g.GetProperty("shards").EnumerateArray().Select(s => s.GetInt32()).ToList(), g.GetProperty("shardCount").GetInt32());

    static SpecParityResult ReadResult(JsonElement r) => new(
        r.GetProperty("index").ValueKind == JsonValueKind.Null ? null : r.GetProperty("index").GetInt32(),
        r.GetProperty("spec").GetString()!,
        CheckRowsJson.ReadChecks(r, "forward"),
        CheckRowsJson.ReadChecks(r, "gradients"),
        CheckRowsJson.ReadLockstep(r),
        r.GetProperty("lockstepLimit").ValueKind == JsonValueKind.Null ? null : Number(r, "lockstepLimit"),
        r.GetProperty("problem").ValueKind == JsonValueKind.Null ? null : r.GetProperty("problem").GetString())
    {
        Text = r.TryGetProperty("text", out var text) && text.ValueKind == JsonValueKind.String ? text.GetString() : null,
        BookRule = CheckRowsJson.ReadBookRule(r),
        Flips = CheckRowsJson.ReadFlips(r),
    };

    static double Number(JsonElement parent, string name) => CheckRowsJson.Number(parent, name);
}
