using System.Globalization;
using System.Text.Json.Nodes;

namespace TorchVisionShowcase;

/// <summary>One model's row of the table, from its ParityResult JSON.</summary>
static class Summary
{
    public static void Fill(JsonObject row, JsonObject result)
    {
        var checks = result["checks"]!.AsArray().Select(c => c!.AsObject()).ToList();
        row["checks"] = checks.Count;
        row["failed"] = checks.Count(c => !c["pass"]!.GetValue<bool>());
        row["worstForward"] = Worst(checks, "forward");
        row["worstGradient"] = Worst(checks, "gradient");
        row["worstStep"] = Worst(checks, "step");
        row["float64MaxAbs"] = checks.Where(c => c["truth"] is not null).Select(c => Number(c["truth"]!["float64MaxAbs"])).DefaultIfEmpty(0).Max();
        var matched = result["matchedByValue"]!.AsArray().Select(m => $"{m!["golden"]} → {m["port"]}").ToList();
        row["matchedByValue"] = new JsonArray([.. matched.Select(m => (JsonNode)m)]);
        row["decidedByRounding"] = result["decidedByRounding"]!.GetValue<long>();
        row["passedByRounding"] = checks.Count(c => c["pass"]!.GetValue<bool>() && c["stage"]!.GetValue<string>() != "forward"
                                                    && (c["truth"]?["decidedByRounding"]?.GetValue<long>() ?? 0) > 0);
        row["notes"] = new JsonArray([.. result["notes"]!.AsArray().Select(n => (JsonNode)n!.GetValue<string>())]);
        string verdict = result["verdict"]!.GetValue<string>();
        row["verdict"] = verdict;
        if (result["firstFailure"] is JsonObject first)
        {
            var check = checks.First(c => c["stage"]!.GetValue<string>() == first["stage"]!.GetValue<string>() && c["name"]!.GetValue<string>() == first["name"]!.GetValue<string>());
            string why = check["truth"]?["reason"]?.GetValue<string>() ?? check["problem"]?.GetValue<string>() ?? "outside its tolerance";
            row["firstFailure"] = $"{first["name"]} ({first["stage"]})";
            row["detail"] = $"first failure {first["name"]} ({first["stage"]}): {why}";
        }
        else row["detail"] = $"{checks.Count} checks";
    }

    /// <summary>The check of a stage furthest from the truth relative to its bound: name, max abs, ratio.</summary>
    static JsonObject? Worst(List<JsonObject> checks, string stage)
    {
        var worst = checks.Where(c => c["stage"]!.GetValue<string>().StartsWith(stage, StringComparison.Ordinal) && c["truth"] is not null)
            .MaxBy(c => Number(c["truth"]!["port"]!["ratioToBound"]));
        if (worst is null) return null;
        return new JsonObject
        {
            ["name"] = $"{worst["name"]}{(stage == "step" ? " (" + worst["stage"] + ")" : "")}",
            ["maxAbs"] = worst["truth"]!["port"]!["maxAbs"]?.DeepClone(),
            ["ratioToBound"] = worst["truth"]!["port"]!["ratioToBound"]?.DeepClone(),
        };
    }

    public static string Show(JsonNode? worst) => worst is null ? "–"
        : $"{worst["name"]}: {Sci(Number(worst["maxAbs"]))} ({Number(worst["ratioToBound"]).ToString("0.###", CultureInfo.InvariantCulture)}× bound)";

    public static string Sci(double x) => x == 0 ? "0" : x.ToString("0.00e+0", CultureInfo.InvariantCulture);

    /// <summary>A number of the result's JSON; null there stands for a non-finite one (NaN or an overflow), shown as +Inf.</summary>
    public static double Number(JsonNode? node) => node is null ? double.PositiveInfinity : node.GetValue<double>();
}
