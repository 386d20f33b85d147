using System.Text.Json;
using CnnParity.Parity.Doctor;
using CnnParity.Reports.Writers;
using CnnParity.Testing.Rendering;

namespace CnnParity.Reports.Doctor;

/// <summary>
/// doctor-report.json: the report for machines. Keys in a fixed order, the schema version first; every case with its
/// outcome and its worst element (a ratio that is not finite is null, with the reason beside it, as in the parity report).
/// </summary>
public static class DoctorJsonWriter
{
    public const string FileName = "doctor-report.json";

    /// <summary>The top-level keys, in the order they are written.</summary>
    public static readonly IReadOnlyList<string> TopLevelKeys =
        ["schemaVersion", "verdict", "problems", "recommendation", "machine", "sweep", "setting", "cases", "isa", "seconds"];

    public static string Render(DoctorReport r) => CheckRowsJson.Document(o =>
    {
        var w = o.W;
        o.Int("schemaVersion", DoctorReport.SchemaVersion);
        o.String("verdict", r.Verdict);
        Strings(w, "problems", r.Problems);
        o.String("recommendation", r.Recommendation);
        Machine(o, r.Machine, r.LibTorchWarnings);
        o.String("sweep", r.Sweep);
        Setting(o, "setting", r.Setting);
        w.WriteStartArray("cases");
        foreach (var c in r.Results) Case(o, c);
        w.WriteEndArray();
        w.WriteStartArray("isa");
        foreach (var trial in r.Isa)
        {
            w.WriteStartObject();
            Setting(o, "setting", trial.Setting);
            o.Bool("allRight", trial.AllRight);
            w.WriteStartArray("cases");
            foreach (var c in trial.Results) Case(o, c);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        w.WriteEndArray();
        o.Number("seconds", r.Seconds);
    });

    static void Machine(JsonOut o, DoctorMachine m, IReadOnlyList<string> warnings)
    {
        o.W.WriteStartObject("machine");
        o.String("cpu", m.Cpu);
        Strings(o.W, "flags", m.Flags);
        Strings(o.W, "caches", m.Caches);
        o.Int("logicalCores", m.LogicalCores);
        if (m.Nnpack is bool nnpack) o.Bool("nnpack", nnpack);
        else o.W.WriteNull("nnpack");
        o.String("dnnlMaxCpuIsa", m.DnnlMaxCpuIsa);
        o.String("os", m.Os);
        o.String("dotnet", m.DotNet);
        o.String("cnnParity", m.CnnParity);
        o.String("torchSharp", m.TorchSharp);
        o.String("libTorch", m.LibTorch);
        Strings(o.W, "libTorchWarnings", warnings);
        o.W.WriteEndObject();
    }

    static void Setting(JsonOut o, string name, TorchSetting s)
    {
        o.W.WriteStartObject(name);
        o.String("dnnlMaxCpuIsa", s.Isa);
        o.Int("torchThreads", s.Threads); // 0: LibTorch's default, every core
        o.W.WriteEndObject();
    }

    static void Case(JsonOut o, CaseResult r)
    {
        o.W.WriteStartObject();
        o.String("case", r.Case.Id);
        o.String("group", r.Case.Group);
        o.String("op", r.Case.Op.Name());
        o.String("dtype", Core.DtypeNames.ShortName(r.Case.Dtype));
        o.String("check", r.Case.Check.Name());
        o.String("outcome", r.Outcome.ToString().ToLowerInvariant());
        if (r.Signal is int signal)
        {
            o.Int("signal", signal);
            o.String("signalName", Signals.Name(signal));
        }
        if (r.Worst is { } w)
        {
            o.W.WriteStartObject("worst");
            o.String("tensor", w.Tensor);
            o.Int("index", w.Index);
            o.Number("torch", w.Torch, "not finite");
            o.Number("truth", w.Truth, "not finite");
            o.Number("bound", w.Bound, "not finite");
            o.Number("ratio", w.Ratio, double.IsPositiveInfinity(w.Ratio) ? "LibTorch's value is not finite, or differs where the bound is 0 (an exact op)" : "not finite");
            o.W.WriteEndObject();
        }
        o.Int("elements", r.Elements);
        o.Number("seconds", r.Seconds);
        o.String("detail", r.Detail);
        o.W.WriteEndObject();
    }

    static void Strings(Utf8JsonWriter w, string name, IEnumerable<string> values)
    {
        w.WriteStartArray(name);
        foreach (string v in values) w.WriteStringValue(v);
        w.WriteEndArray();
    }
}
