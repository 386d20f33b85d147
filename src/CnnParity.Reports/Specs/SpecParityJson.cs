using CnnParity.Testing;
using CnnParity.Testing.Rendering;
using System.Globalization;
using System.Text;
using System.Text.Json;
using CnnParity.Core;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Specs;

/// <summary>
/// The JSON of a <see cref="SpecParityReport"/> (what <c>parity --arch</c> and <c>parity --grid</c> write and
/// <c>report merge</c> reads): keys in a fixed order, doubles as shortest round-trip text, so the same run gives the
/// same bytes and a file read back is the report that was written (<see cref="Read"/>). No timings: nothing in it
/// varies between two runs with the same seed.
/// </summary>
public static class SpecParityJson
{
    /// <summary>Written first, so a reader can tell this file from a chapter-10 parity-report.json.</summary>
    public const string Kind = "cnnparity-spec-parity";

    public static string Render(SpecParityReport report)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JsonOut.Encoder }))
        {
            var o = new JsonOut(w);
            w.WriteStartObject();
            o.String("kind", Kind);
            o.Int("schemaVersion", SpecParityReport.SchemaVersion);
            o.String("verdict", report.Verdict);
            w.WriteStartArray("reasons");
            foreach (var reason in report.Reasons) w.WriteStringValue(reason);
            w.WriteEndArray();
            if (report.Backend is { } crash) JsonReportWriter.Backend(o, crash); // only when LibTorch crashed the run
            Settings(o, report.Settings);
            Grid(o, report.Grid);
            Tolerances(o, report);
            w.WriteStartArray("specs");
            foreach (var r in report.Results) Result(o, r);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

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
        o.W.WriteEndObject();
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
        Worst(o, "worstForward", r.WorstForward is { } wf ? (wf.Layer, wf.Distance) : null);
        Worst(o, "worstGradient", r.WorstGradient is { } wg ? ($"{wg.Tensor}, {wg.Pair}", wg.Distance) : null);
        o.W.WriteStartArray("forward");
        foreach (var f in r.Forward)
            Row(o, w =>
            {
                w.WriteString("layer", f.Layer);
                w.WriteString("dtype", f.Dtype.ShortName());
                w.WriteString("scope", f.Scope);
                Distance(w, f.Distance);
                w.WriteString("tolerance", f.Tolerance.Name);
                w.WriteBoolean("pass", f.Pass);
            });
        o.W.WriteEndArray();
        o.W.WriteStartArray("gradients");
        foreach (var g in r.Gradients)
            Row(o, w =>
            {
                w.WriteString("tensor", g.Tensor);
                w.WriteString("dtype", g.Dtype.ShortName());
                w.WriteString("pair", g.Pair);
                w.WriteNumber("checked", g.Checked);
                Distance(w, g.Distance);
                w.WriteString("tolerance", g.Tolerance.Name);
                w.WriteBoolean("pass", g.Pass);
            });
        o.W.WriteEndArray();
        o.Number("lockstepLimit", r.LockstepLimit);
        o.W.WriteStartArray("lockstep");
        foreach (var e in r.Lockstep)
        {
            o.W.WriteStartObject();
            o.Int("epoch", e.Epoch);
            o.Number("engineLoss", e.EngineLoss);
            o.Number("twinLoss", e.TwinLoss);
            o.Number("engineTestAcc", e.EngineTestAcc);
            o.Number("twinTestAcc", e.TwinTestAcc);
            o.Number("drift", e.Drift);
            o.Number("sensitivity", e.Sensitivity);
            o.W.WriteEndObject();
        }
        o.W.WriteEndArray();
        o.W.WriteEndObject();
    }

    static void Worst(JsonOut o, string name, (string What, TensorDistance Distance)? worst)
    {
        if (worst is not { } w) { o.W.WriteNull(name); return; }
        o.W.WriteStartObject(name);
        o.String("what", w.What);
        o.Number("maxAbs", w.Distance.MaxAbs);
        o.Number("maxRel", w.Distance.MaxRel);
        o.W.WriteEndObject();
    }

    // One check per line: a grid of hundreds of specs stays a file one can read and diff.
    static void Row(JsonOut o, Action<Utf8JsonWriter> fields)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JsonOut.Encoder }))
        {
            w.WriteStartObject();
            fields(w);
            w.WriteEndObject();
        }
        o.W.WriteRawValue(buffer.WrittenSpan, skipInputValidation: true);
    }

    // Non-finite distances (a NaN or infinity met) are written as strings, which JSON numbers cannot hold.
    static void Distance(Utf8JsonWriter w, TensorDistance d)
    {
        Double(w, "maxAbs", d.MaxAbs);
        Double(w, "maxRel", d.MaxRel);
        w.WriteNumber("maxUlp", d.MaxUlp);
        w.WriteNumber("count", d.Count);
        w.WriteNumber("bitwiseEqual", d.BitwiseEqual);
    }

    static void Double(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        if (double.IsFinite(value)) w.WriteRawValue(JsonOut.R(value), skipInputValidation: true);
        else w.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    static void Tolerances(JsonOut o, SpecParityReport report)
    {
        o.W.WriteStartArray("tolerances");
        foreach (var t in UsedTolerances(report))
        {
            o.W.WriteStartObject();
            o.String("name", t.Name);
            o.Number("rtol", t.Rtol);
            o.Number("atol", t.Atol);
            o.String("why", t.Why);
            o.W.WriteEndObject();
        }
        o.W.WriteEndArray();
    }

    /// <summary>Every tolerance the report's checks used, once each, in order of first use.</summary>
    public static IReadOnlyList<Tolerance> UsedTolerances(SpecParityReport report) =>
        report.Results.SelectMany(r => r.Forward.Select(f => f.Tolerance).Concat(r.Gradients.Select(g => g.Tolerance))).DistinctBy(t => t.Name).ToList();

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
            if (version < 1 || version > SpecParityReport.SchemaVersion)
                throw new FormatException($"schema version {version}, this build reads 1 to {SpecParityReport.SchemaVersion}");
            var tolerances = root.GetProperty("tolerances").EnumerateArray().Select(t => new Tolerance(
                t.GetProperty("name").GetString()!, Number(t, "rtol"), Number(t, "atol"), t.GetProperty("why").GetString()!)).ToDictionary(t => t.Name);
            return new SpecParityReport(ReadSettings(root.GetProperty("settings")), ReadGrid(root.GetProperty("grid")),
                root.GetProperty("specs").EnumerateArray().Select(r => ReadResult(r, tolerances)).ToList());
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
        LearningRateDecay: s.TryGetProperty("learningRateDecay", out var decay) ? decay.GetDouble() : 1);

    static GridSelection? ReadGrid(JsonElement g) => g.ValueKind == JsonValueKind.Null ? null : new GridSelection(
        g.GetProperty("count").GetInt32(), ulong.Parse(g.GetProperty("seed").GetString()!, CultureInfo.InvariantCulture),
        g.GetProperty("shards").EnumerateArray().Select(s => s.GetInt32()).ToList(), g.GetProperty("shardCount").GetInt32());

    static SpecParityResult ReadResult(JsonElement r, Dictionary<string, Tolerance> tolerances) => new(
        r.GetProperty("index").ValueKind == JsonValueKind.Null ? null : r.GetProperty("index").GetInt32(),
        r.GetProperty("spec").GetString()!,
        r.GetProperty("forward").EnumerateArray().Select(f => new LayerComparison(
            f.GetProperty("layer").GetString()!, DtypeNames.Parse(f.GetProperty("dtype").GetString()!), f.GetProperty("scope").GetString()!,
            ReadDistance(f), tolerances[f.GetProperty("tolerance").GetString()!], f.GetProperty("pass").GetBoolean())).ToList(),
        r.GetProperty("gradients").EnumerateArray().Select(g => new GradientComparison(
            g.GetProperty("tensor").GetString()!, DtypeNames.Parse(g.GetProperty("dtype").GetString()!), g.GetProperty("pair").GetString()!,
            ReadDistance(g), tolerances[g.GetProperty("tolerance").GetString()!], g.GetProperty("pass").GetBoolean(),
            g.GetProperty("checked").GetInt32())).ToList(),
        r.GetProperty("lockstep").EnumerateArray().Select(e => new LockstepEpoch(
            e.GetProperty("epoch").GetInt32(), Number(e, "engineLoss"), Number(e, "twinLoss"),
            Number(e, "engineTestAcc"), Number(e, "twinTestAcc"), Number(e, "drift"),
            e.TryGetProperty("sensitivity", out var sensitivity) && sensitivity.ValueKind != JsonValueKind.Null ? Number(e, "sensitivity") : null)).ToList(),
        r.GetProperty("lockstepLimit").ValueKind == JsonValueKind.Null ? null : Number(r, "lockstepLimit"),
        r.GetProperty("problem").ValueKind == JsonValueKind.Null ? null : r.GetProperty("problem").GetString());

    static TensorDistance ReadDistance(JsonElement d) => new(Number(d, "maxAbs"), Number(d, "maxRel"),
        d.GetProperty("maxUlp").GetInt64(), d.GetProperty("count").GetInt64(), d.GetProperty("bitwiseEqual").GetInt64());

    // A non-finite number: JsonOut writes null with "<name>NullReason" (NaN, +Infinity, -Infinity); a check row, its text.
    static double Number(JsonElement parent, string name)
    {
        var value = parent.GetProperty(name);
        if (value.ValueKind == JsonValueKind.Number) return value.GetDouble();
        if (value.ValueKind == JsonValueKind.String) return double.Parse(value.GetString()!, CultureInfo.InvariantCulture);
        return parent.TryGetProperty(name + "NullReason", out var reason) ? reason.GetString() switch
        {
            "+Infinity" => double.PositiveInfinity,
            "-Infinity" => double.NegativeInfinity,
            _ => double.NaN,
        } : double.NaN;
    }
}
