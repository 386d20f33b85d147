using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace TorchVisionShowcase;

/// <summary>reports/torchvision/README.md (the table) and torchvision.json (the same rows, every number).</summary>
static class Report
{
    public static void Write(Options options, IReadOnlyList<JsonObject> rows, string command)
    {
        // Rows of models this run did not make are kept from the last report, with the command that made them.
        string path = Path.Combine(options.Out, "torchvision.json");
        var previous = File.Exists(path) ? JsonNode.Parse(File.ReadAllText(path))!["rows"]!.AsArray().Select(r => r!.AsObject()).ToList() : [];
        foreach (var r in rows) r["command"] = command;
        rows = [.. Models.All.SelectMany(m => new[] { "eval", "train" }.Select(mode => (m.Name, mode)))
            .Select(key => rows.LastOrDefault(r => Key(r) == key) ?? previous.FirstOrDefault(r => Key(r) == key))
            .OfType<JsonObject>().Select(r => (JsonObject)r.DeepClone())];
        var commands = rows.Select(r => r["command"]!.GetValue<string>()).Distinct().ToList();
        string torch = Python("import torch, torchvision; print(torch.__version__, torchvision.__version__)");
        var json = new JsonObject
        {
            ["commands"] = new JsonArray([.. commands.Select(c => (JsonNode)c)]),
            ["pytorch"] = torch,
            ["torchSharp"] = typeof(TorchSharp.torch).Assembly.GetName().Version?.ToString(),
            ["kappa"] = CnnParity.Testing.TruthJudgement.Kappa,
            ["rows"] = new JsonArray([.. rows.Select(r => (JsonNode)r.DeepClone())]),
        };
        File.WriteAllText(path, json.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");

        var md = new StringBuilder();
        md.Append("# TorchVision 0.107 (.NET) against torchvision 0.14 (Python)\n\n");
        md.Append(CultureInfo.InvariantCulture, $"Made by {string.Join(", then ", commands.Select(c => $"`{c}`" + (commands.Count > 1 ? $" ({string.Join(", ", rows.Where(r => r["command"]!.GetValue<string>() == c).Select(r => r["model"]!.GetValue<string>()).Distinct())})" : "")))} ")
          .Append(CultureInfo.InvariantCulture, $"(PyTorch and torchvision {torch}; TorchSharp {json["torchSharp"]}).\n\n");
        md.Append("Each model: `torch_golden.py` writes the golden from torchvision's model (float32 with its float64 shadow, ")
          .Append(CultureInfo.InvariantCulture, $"K SGD steps of learning rate lr (columns); `train` adds `--train-mode`: batch norm on batch statistics, its buffers compared after every step), ")
          .Append("then a process of its own runs `ModuleParity.Compare(model, golden)` with the defaults on TorchVision's .NET model, ")
          .Append("which gets the golden's float32 state_dict. Every float32 check is judged against the float64 truth ")
          .Append(CultureInfo.InvariantCulture, $"(κ = {CnnParity.Testing.TruthJudgement.Kappa}); worst = the check furthest from the truth relative to its bound. ")
          .Append("A crash is the .NET process dying of a signal (exit 128 + signal).\n\n");
        md.Append("| model | mode | input | K × lr | verdict | checks | worst forward | worst gradient | worst step | float64 max gap | matched by value | decided by rounding | golden s | .NET s |\n");
        md.Append("| --- | --- | --- | --- | --- | ---: | --- | --- | --- | ---: | --- | ---: | ---: | ---: |\n");
        foreach (var r in rows)
        {
            var matched = r["matchedByValue"]?.AsArray().Select(m => m!.GetValue<string>()).ToList() ?? [];
            string matchedText = matched.Count == 0 ? "–" : $"{matched.Count}: {string.Join(", ", matched.Take(2))}{(matched.Count > 2 ? ", …" : "")}";
            string verdict = r["verdict"]!.GetValue<string>() is "PASS" ? "PASS" : $"**{r["verdict"]}**";
            md.Append(CultureInfo.InvariantCulture,
                $"| {r["model"]} | {r["mode"]} | {r["input"]} | {r["steps"]} × {r["lr"]} | {verdict} | {Count(r)} | {Summary.Show(r["worstForward"])} | {Summary.Show(r["worstGradient"])} | " +
                $"{Summary.Show(r["worstStep"])} | {(r["float64MaxAbs"] is { } f ? Summary.Sci(f.GetValue<double>()) : "–")} | {matchedText.Replace("|", "\\|")} | " +
                $"{r["decidedByRounding"]?.ToString() ?? "–"} | {r["goldenSeconds"]} | {r["dotnetSeconds"]?.ToString() ?? "–"} |\n");
        }
        md.Append("\n## Findings\n\n");
        if (File.Exists(Path.Combine(options.Out, "NOTES.md"))) md.Append("What they mean: [NOTES.md](NOTES.md).\n\n");
        foreach (var r in rows.Where(r => r["verdict"]!.GetValue<string>() != "PASS"))
            md.Append(CultureInfo.InvariantCulture, $"- **{r["model"]} ({r["mode"]})**: {r["detail"]!.GetValue<string>().Replace("|", "\\|")}\n");
        if (rows.All(r => r["verdict"]!.GetValue<string>() == "PASS")) md.Append("None: every model passed.\n");
        md.Append("\n## Names matched by value\n\n");
        foreach (var r in rows.Where(r => r["matchedByValue"]?.AsArray().Count > 0).DistinctBy(r => r["model"]!.GetValue<string>()))
            md.Append(CultureInfo.InvariantCulture, $"- {r["model"]}: {string.Join(", ", r["matchedByValue"]!.AsArray().Select(m => m!.GetValue<string>()))}\n");
        md.Append("\nEach model's full result (`result.ToMarkdown()`: every check, its distance from the truth, its note) is in `models/<model>-<mode>.md`.\n");
        File.WriteAllText(Path.Combine(options.Out, "README.md"), md.ToString());
    }

    static (string, string) Key(JsonObject r) => (r["model"]!.GetValue<string>(), r["mode"]!.GetValue<string>());

    static string Count(JsonObject r) => r["checks"] is null ? "–" : $"{r["checks"]}{(r["failed"]!.GetValue<int>() > 0 ? $" ({r["failed"]} failed)" : "")}";

    static string Python(string program)
    {
        var start = new System.Diagnostics.ProcessStartInfo("/usr/bin/python3", ["-c", program]) { RedirectStandardOutput = true };
        using var p = System.Diagnostics.Process.Start(start)!;
        string output = p.StandardOutput.ReadToEnd().Trim();
        p.WaitForExit();
        return output;
    }
}
