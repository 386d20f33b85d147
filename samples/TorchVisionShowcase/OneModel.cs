using System.Diagnostics;
using System.Text.Json;
using CnnParity.Testing;

namespace TorchVisionShowcase;

/// <summary>The child process: one model against one golden; writes the result's JSON and the seconds it took.</summary>
static class OneModel
{
    public static int Run(string name, string goldenPath, string outJson)
    {
        var model = Models.All.Single(m => m.Name == name);
        var clock = Stopwatch.StartNew();
        using var golden = TorchGolden.Load(goldenPath);
        using var module = model.Build();
        var result = ModuleParity.Compare(module, golden);
        double seconds = clock.Elapsed.TotalSeconds;
        File.WriteAllText(Path.ChangeExtension(outJson, ".md"), result.ToMarkdown());
        using var doc = JsonDocument.Parse(result.ToJson());
        using var stream = File.Create(outJson);
        using var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        w.WriteStartObject();
        w.WriteNumber("seconds", Math.Round(seconds, 1));
        w.WritePropertyName("result");
        doc.RootElement.WriteTo(w);
        w.WriteEndObject();
        return result.Pass ? 0 : 1;
    }
}
