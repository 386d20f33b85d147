using System.Globalization;
using System.Text.Json;
using CnnParity.Core;
using CnnParity.Core.Engines;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Results;
using CnnParity.Parity.Specs;
using CnnParity.Parity.Triage;
using CnnParity.Testing;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Writers;

/// <summary>
/// The check rows as both JSON files write and read them (parity-report.json and the parity file, one schema,
/// <see cref="Model.ParityReport.SchemaVersion"/>): the tolerances, each defined once; a forward or gradient row per line,
/// its distance's fields flat and its tolerance by name; the lockstep epochs; the book-rule findings; the lockstep flips.
/// One check per line keeps a grid of hundreds of specs a file one can read and diff.
/// </summary>
internal static class CheckRowsJson
{
    /// <summary>
    /// One JSON document as both files are written (and the doctor's report): keys in the order written, indented by two,
    /// "\n" line ends, a final newline.
    /// </summary>
    public static string Document(Action<JsonOut> write)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JsonOut.Encoder }))
        {
            w.WriteStartObject();
            write(new JsonOut(w));
            w.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>
    /// "schemaVersion" (<see cref="Model.ParityReport.SchemaVersion"/>), "verdict" and "reasons", as both files begin; then
    /// "backend" when LibTorch crashed the run (issue 20), and only then: other files keep their keys.
    /// </summary>
    public static void Verdict(JsonOut o, string verdict, IEnumerable<string> reasons, BackendCrash? backend)
    {
        o.Int("schemaVersion", Model.ParityReport.SchemaVersion);
        o.String("verdict", verdict);
        o.W.WriteStartArray("reasons");
        foreach (var reason in reasons) o.W.WriteStringValue(reason);
        o.W.WriteEndArray();
        if (backend is not null) Backend(o, backend);
    }

    /// <summary>"backend": how LibTorch crashed the run (a FAIL with no TorchSharp results).</summary>
    static void Backend(JsonOut o, BackendCrash crash)
    {
        o.W.WriteStartObject("backend");
        o.String("phase", crash.Phase);
        o.String("op", crash.Op);
        o.Int("signal", crash.Signal);
        o.String("signalName", Signals.Name(crash.Signal));
        o.String("hint", crash.Hint);
        o.W.WriteEndObject();
    }

    /// <summary>
    /// Every float64 tolerance the rows name as their bound, once each, in order of first use; the first Adam step's is
    /// derived from the run's <paramref name="learningRate"/> and <paramref name="optimizer"/> (SGD's rows name none such).
    /// </summary>
    public static IReadOnlyList<Tolerance> UsedTolerances(IEnumerable<SpecParityResult> results, double learningRate = 0, OptimizerSettings? optimizer = null) =>
        [.. results.SelectMany(r => r.Forward.Concat(r.Gradients)).Select(c => Parity.Tolerances.Named(c.Bound, learningRate, optimizer ?? OptimizerSettings.Sgd))
            .OfType<Tolerance>().DistinctBy(t => t.Name)];

    /// <summary>An array called <paramref name="name"/> of one object per item, its fields written by <paramref name="writeFields"/>.</summary>
    public static void Array<T>(JsonOut o, string name, IEnumerable<T> items, Action<JsonOut, T> writeFields)
    {
        o.W.WriteStartArray(name);
        foreach (var item in items)
        {
            o.W.WriteStartObject();
            writeFields(o, item);
            o.W.WriteEndObject();
        }
        o.W.WriteEndArray();
    }

    public static void Tolerances(JsonOut o, IEnumerable<Tolerance> tolerances) => Array(o, "tolerances", tolerances, (o, t) =>
    {
        o.String("name", t.Name);
        o.Number("rtol", t.Rtol);
        o.Number("atol", t.Atol);
        o.String("why", t.Why);
    });

    /// <summary>"forward", "gradients", "lockstepLimit" and "lockstep" of one network's checks.</summary>
    public static void Checks(JsonOut o, SpecParityResult r)
    {
        Rows(o, "forward", r.Forward);
        Rows(o, "gradients", r.Gradients);
        o.Number("lockstepLimit", r.LockstepLimit);
        Array(o, "lockstep", r.Lockstep, (o, e) =>
        {
            o.Int("epoch", e.Epoch);
            o.Number("engineLoss", e.EngineLoss);
            o.Number("twinLoss", e.TwinLoss);
            o.Number("engineTestAcc", e.EngineTestAcc);
            o.Number("twinTestAcc", e.TwinTestAcc);
            o.Number("drift", e.Drift);
            o.Number("sensitivity", e.Sensitivity);
            if (e.EngineFromTruth is double engine) o.Number("engineFromTruth", engine);
            if (e.TwinFromTruth is double twin) o.Number("twinFromTruth", twin);
        });
    }

    public static void BookRule(JsonOut o, IEnumerable<BookRuleFinding> findings) => Array(o, "bookRule", findings, (o, f) =>
    {
        o.String("tensor", f.Tensor);
        o.Number("cosine", f.Cosine);
        o.Number("normRatio", f.NormRatio);
        o.String("finding", f.Finding);
    });

    public static void Flips(JsonOut o, IEnumerable<PredictionFlip> flips)
    {
        o.W.WriteStartArray("flips");
        foreach (var f in flips)
            Row(o, w =>
            {
                w.WriteNumber("epoch", f.Epoch);
                w.WriteNumber("image", f.Image);
                w.WriteNumber("scratchPrediction", f.ScratchPrediction);
                w.WriteNumber("twinPrediction", f.TwinPrediction);
                Double(w, "scratchMargin", f.ScratchMargin);
            });
        o.W.WriteEndArray();
    }

    /// <summary>An array of triaged checks, one per line.</summary>
    public static void Rows(JsonOut o, string name, IEnumerable<TriagedCheck> checks)
    {
        o.W.WriteStartArray(name);
        foreach (var c in checks) Row(o, w => TriageRows.Fields(w, c));
        o.W.WriteEndArray();
    }

    // One check per line.
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

    static void Double(Utf8JsonWriter w, string name, double value)
    {
        w.WritePropertyName(name);
        if (double.IsFinite(value)) w.WriteRawValue(JsonOut.R(value), skipInputValidation: true);
        else w.WriteStringValue(value.ToString(CultureInfo.InvariantCulture));
    }

    // ---- Reading (what report merge reads back). ----

    public static Dictionary<string, Tolerance> ReadTolerances(JsonElement root) =>
        root.GetProperty("tolerances").EnumerateArray().Select(t => new Tolerance(
            t.GetProperty("name").GetString()!, Number(t, "rtol"), Number(t, "atol"), t.GetProperty("why").GetString()!)).ToDictionary(t => t.Name);

    /// <summary>The triaged checks of the array called <paramref name="name"/> ("forward", "gradients").</summary>
    public static List<TriagedCheck> ReadChecks(JsonElement parent, string name) =>
        [.. parent.GetProperty(name).EnumerateArray().Select(TriageRows.Read)];

    public static List<LockstepEpoch> ReadLockstep(JsonElement parent) =>
        parent.GetProperty("lockstep").EnumerateArray().Select(e => new LockstepEpoch(
            e.GetProperty("epoch").GetInt32(), Number(e, "engineLoss"), Number(e, "twinLoss"),
            Number(e, "engineTestAcc"), Number(e, "twinTestAcc"), Number(e, "drift"),
            Optional(e, "sensitivity"), Optional(e, "engineFromTruth"), Optional(e, "twinFromTruth"))).ToList();

    static double? Optional(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? Number(e, name) : null;

    /// <summary>The book-rule findings, or none where the file has no "bookRule" (schema 1 and 2).</summary>
    public static List<BookRuleFinding> ReadBookRule(JsonElement parent) =>
        !parent.TryGetProperty("bookRule", out var rule) ? [] : rule.EnumerateArray().Select(f => new BookRuleFinding(
            f.GetProperty("tensor").GetString()!, Number(f, "cosine"), Number(f, "normRatio"), f.GetProperty("finding").GetString()!)).ToList();

    /// <summary>The lockstep flips, or none where the file has no "flips" (schema 1 and 2).</summary>
    public static List<PredictionFlip> ReadFlips(JsonElement parent) =>
        !parent.TryGetProperty("flips", out var flips) ? [] : flips.EnumerateArray().Select(f => new PredictionFlip(
            f.GetProperty("epoch").GetInt32(), f.GetProperty("image").GetInt32(), f.GetProperty("scratchPrediction").GetInt32(),
            f.GetProperty("twinPrediction").GetInt32(), Number(f, "scratchMargin"))).ToList();

    /// <summary>
    /// A number: JsonOut writes a non-finite one as null with "&lt;name&gt;NullReason" (NaN, +Infinity, -Infinity); a check row,
    /// as its text.
    /// </summary>
    public static double Number(JsonElement parent, string name)
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
