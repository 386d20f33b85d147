using System.Text;
using System.Text.Json;
using CnnParity.Testing.Rendering;

namespace CnnParity.Testing;

/// <summary>A <see cref="ParityResult"/> as JSON, keys in a fixed order, numbers as the parity report writes them.</summary>
internal static class ParityJson
{
    public static string Render(ParityResult result)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, IndentSize = 2, NewLine = "\n", Encoder = JsonOut.Encoder }))
        {
            var o = new JsonOut(w);
            w.WriteStartObject();
            o.Int("schemaVersion", ParityResult.SchemaVersion);
            o.String("title", result.Title);
            o.String("verdict", result.Verdict);
            if (result.FirstFailure is { } f)
            {
                w.WriteStartObject("firstFailure");
                o.String("stage", f.Stage);
                o.String("name", f.Name);
                w.WriteEndObject();
            }
            else w.WriteNull("firstFailure");
            w.WriteStartArray("matchedByValue");
            foreach (var (golden, port) in result.Alignments)
            {
                w.WriteStartObject();
                o.String("golden", golden);
                o.String("port", port);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            o.Int("decidedByRounding", result.DecidedByRounding);
            w.WriteStartArray("notes");
            foreach (var note in result.Notes) w.WriteStringValue(note);
            w.WriteEndArray();
            w.WriteStartArray("checks");
            foreach (var c in result.Checks) Check(o, c);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    static void Check(JsonOut o, ParityCheck c)
    {
        o.W.WriteStartObject();
        o.String("stage", c.Stage);
        o.String("name", c.Name);
        o.Integers("shape", c.Shape);
        o.String("dtype", MismatchMessage.DTypeName(c.DType));
        if (c.Distance is { } d)
        {
            o.W.WriteStartObject("distance");
            o.Number("maxAbs", d.MaxAbs);
            o.Number("maxRel", d.MaxRel);
            o.Int("maxUlp", d.MaxUlp);
            o.Int("count", d.Count);
            o.Int("bitwiseEqual", d.BitwiseEqual);
            o.Int("mismatched", d.Mismatched);
            o.W.WriteEndObject();
        }
        else o.W.WriteNull("distance");
        o.W.WriteStartObject("tolerance");
        o.String("name", c.Tolerance.Name);
        o.Number("rtol", c.Tolerance.Rtol);
        o.Number("atol", c.Tolerance.Atol);
        o.String("why", c.Tolerance.Why);
        o.W.WriteEndObject();
        o.Bool("pass", c.Pass);
        o.String("problem", c.Problem);
        if (c.MatchedByValue is not null) o.String("matchedByValue", c.MatchedByValue);
        if (c.Truth is { } t)
        {
            o.W.WriteStartObject("truth");
            o.String("blamed", t.Blamed);
            o.String("reason", t.Reason);
            Side(o, "port", t.Port);
            Side(o, "golden", t.Golden);
            o.Number("float64MaxAbs", t.Float64MaxAbs);
            o.Bool("float64Agrees", t.Float64Agrees);
            o.Int("decidedByRounding", t.DecidedByRounding);
            o.W.WriteEndObject();
        }
        o.W.WriteEndObject();
    }

    static void Side(JsonOut o, string name, TruthSide s)
    {
        o.W.WriteStartObject(name);
        o.Number("maxAbs", s.MaxAbs);
        o.Integers("at", s.At);
        o.Number("ratioToBound", s.RatioToBound);
        o.Int("decidedByRounding", s.DecidedByRounding);
        o.W.WriteEndObject();
    }
}
