using System.Globalization;
using System.Text;

namespace CnnParity.Core.Architecture;

/// <summary>The spec as a plain-text table: each layer's output shape, parameters and multiply-adds per image.</summary>
public static class LayerTable
{
    /// <summary>Aligned columns, a header line and a totals line; no colour, so it pipes and diffs cleanly.</summary>
    public static string Render(ArchitectureSpec spec)
    {
        var rows = new List<string[]> { new[] { "#", "layer", "spec", "output", "parameters", "multiply-adds" } };
        rows.Add(["0", "input", "", spec.Input.ToString(), "", ""]);
        foreach (var layer in spec.Layers)
            rows.Add([layer.Position.ToString(CultureInfo.InvariantCulture), layer.Name, layer.Spec.Text, layer.Output.ToString(),
                      N(layer.Parameters), N(layer.MultiplyAdds)]);
        rows.Add(["", "total", "", "", N(spec.ParameterCount), N(spec.MultiplyAdds)]);

        int[] widths = Enumerable.Range(0, rows[0].Length).Select(c => rows.Max(r => r[c].Length)).ToArray();
        bool[] right = [true, false, false, false, true, true];
        var text = new StringBuilder();
        text.AppendLine(spec.ToString());
        foreach (var row in rows)
        {
            var cells = row.Select((cell, c) => right[c] ? cell.PadLeft(widths[c]) : cell.PadRight(widths[c]));
            text.AppendLine(string.Join("  ", cells).TrimEnd());
        }
        text.Append("multiply-adds: forward, per image; softmax cross-entropy over ").Append(ArchitectureSpec.Classes).AppendLine(" classes.");
        return text.ToString();
    }

    static string N(long value) => value.ToString("N0", CultureInfo.InvariantCulture);
}
