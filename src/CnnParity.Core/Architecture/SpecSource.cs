using System.Text.Json;

namespace CnnParity.Core.Architecture;

/// <summary>
/// Where a spec comes from on the command line: a preset name, the grammar's text, or a file holding either the text
/// or JSON (<c>{"layers": ["conv(c=6,k=5,p=2)", "tanh", ...]}</c> or <c>{"arch": "lenet5"}</c>).
/// </summary>
public static class SpecSource
{
    /// <summary>The spec <paramref name="argument"/> names; <c>ch10</c> takes <paramref name="numKernels"/> and <paramref name="grid"/>.</summary>
    public static ArchitectureSpec Read(string argument, int numKernels = 4, int grid = 26)
    {
        string text = argument.Trim();
        if (IsFile(text))
            text = FromFile(text);
        return string.Equals(text.Trim(), ArchitecturePresets.Chapter10Name, StringComparison.OrdinalIgnoreCase)
            ? ArchitectureSpec.Chapter10(numKernels, grid)
            : ArchitectureSpec.Parse(text);
    }

    // A spec never contains '/' and never ends in .json or .txt, so such an argument can only mean a file.
    static bool IsFile(string text) =>
        text.Contains('/') || text.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || text.EndsWith(".txt", StringComparison.OrdinalIgnoreCase);

    static string FromFile(string path)
    {
        string content;
        try
        {
            content = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ArchitectureSpecException($"cannot read the spec file '{path}': {e.Message}");
        }
        if (!content.TrimStart().StartsWith('{'))
            return content;
        try
        {
            using var json = JsonDocument.Parse(content);
            var root = json.RootElement;
            if (root.TryGetProperty("arch", out var arch) && arch.ValueKind == JsonValueKind.String)
                return arch.GetString()!;
            if (root.TryGetProperty("layers", out var layers) && layers.ValueKind == JsonValueKind.Array
                && layers.EnumerateArray().All(l => l.ValueKind == JsonValueKind.String))
                return string.Join(" ", layers.EnumerateArray().Select(l => l.GetString()));
        }
        catch (JsonException e)
        {
            throw new ArchitectureSpecException($"the spec file '{path}' is not valid JSON: {e.Message}");
        }
        throw new ArchitectureSpecException($"the spec file '{path}' needs \"arch\": \"TEXT\" or \"layers\": [\"conv(c=6,k=5)\", ...]");
    }
}
