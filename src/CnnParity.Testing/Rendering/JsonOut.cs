using System.Buffers;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CnnParity.Testing.Rendering;

/// <summary>
/// Number writing for the JSON documents (a comparison's, the parity report's): every double as its shortest round-trip text ("R"), so equal numbers
/// give equal bytes; NaN and ±Inf, which JSON cannot hold, as null with a sibling "&lt;name&gt;NullReason".
/// Number arrays go on one line each, which keeps 300-epoch curves readable in a diff.
/// </summary>
internal sealed class JsonOut(Utf8JsonWriter w)
{
    // Readable non-ASCII (×, −) in strings; the files are never embedded in HTML, so HTML-safe escaping buys nothing.
    public static readonly JavaScriptEncoder Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    public Utf8JsonWriter W => w;

    public void String(string name, string? value)
    {
        if (value is null) w.WriteNull(name); else w.WriteString(name, value);
    }

    public void Int(string name, long value) => w.WriteNumber(name, value);

    public void Bool(string name, bool value) => w.WriteBoolean(name, value);

    /// <summary>
    /// null means "does not apply" unless <paramref name="nullReason"/> says otherwise; a non-finite value is
    /// written as null and says why.
    /// </summary>
    public void Number(string name, double? value, string? nullReason = null)
    {
        w.WritePropertyName(name);
        if (value is double x && double.IsFinite(x)) w.WriteRawValue(R(x), skipInputValidation: true);
        else w.WriteNullValue();
        string? reason = value switch
        {
            double bad when !double.IsFinite(bad) => NonFinite(bad),
            null => nullReason,
            _ => null,
        };
        if (reason is not null) w.WriteString(name + "NullReason", reason);
    }

    /// <summary>A number array on one line; null elements stay null, non-finite ones become null and are listed.</summary>
    public void Numbers(string name, IEnumerable<double?> values)
    {
        var list = values.ToList();
        var bad = new List<string>();
        w.WritePropertyName(name);
        w.WriteRawValue(Compact(inner =>
        {
            inner.WriteStartArray();
            for (int i = 0; i < list.Count; i++)
            {
                if (list[i] is double x && double.IsFinite(x)) inner.WriteRawValue(R(x), skipInputValidation: true);
                else
                {
                    inner.WriteNullValue();
                    if (list[i] is double y) bad.Add($"{NonFinite(y)} at index {i}");
                }
            }
            inner.WriteEndArray();
        }), skipInputValidation: true);
        if (bad.Count > 0) w.WriteString(name + "NullReason", string.Join("; ", bad));
    }

    public void Numbers(string name, IEnumerable<double> values) => Numbers(name, values.Select(v => (double?)v));

    public void Integers(string name, IEnumerable<long> values)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(Compact(inner =>
        {
            inner.WriteStartArray();
            foreach (long v in values) inner.WriteNumberValue(v);
            inner.WriteEndArray();
        }), skipInputValidation: true);
    }

    /// <summary>A small integer matrix (the 10x10 confusion matrix) on one line, rows in order.</summary>
    public void IntegerRows(string name, IEnumerable<IEnumerable<long>> rows)
    {
        w.WritePropertyName(name);
        w.WriteRawValue(Compact(inner =>
        {
            inner.WriteStartArray();
            foreach (var row in rows)
            {
                inner.WriteStartArray();
                foreach (long v in row) inner.WriteNumberValue(v);
                inner.WriteEndArray();
            }
            inner.WriteEndArray();
        }), skipInputValidation: true);
    }

    public static string R(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static string NonFinite(double x) => double.IsNaN(x) ? "NaN" : x > 0 ? "+Infinity" : "-Infinity";

    private static byte[] Compact(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var inner = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
            write(inner);
        return buffer.WrittenSpan.ToArray();
    }
}
