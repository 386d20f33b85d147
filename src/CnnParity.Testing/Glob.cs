using System.Text;
using System.Text.RegularExpressions;

namespace CnnParity.Testing;

/// <summary>Name patterns of <see cref="ParityOptions"/>: <c>*</c> any run of characters (dots included), <c>?</c> one.</summary>
internal static class Glob
{
    public static bool IsMatch(string pattern, string name) => Compile(pattern).IsMatch(name);

    /// <summary><paramref name="name"/> renamed by the first matching entry of <paramref name="map"/>, or null.</summary>
    public static string? Rename(IReadOnlyDictionary<string, string>? map, string name)
    {
        if (map is null) return null;
        foreach (var (pattern, replacement) in map)
        {
            var m = Compile(pattern).Match(name);
            if (!m.Success) continue;
            int group = 1;
            var sb = new StringBuilder();
            foreach (char c in replacement)
                sb.Append(c == '*' && group < m.Groups.Count ? m.Groups[group++].Value : c.ToString());
            return sb.ToString();
        }
        return null;
    }

    static Regex Compile(string pattern) =>
        new("^" + string.Concat(pattern.Select(c => c switch { '*' => "(.*)", '?' => ".", _ => Regex.Escape(c.ToString()) })) + "$",
            RegexOptions.CultureInvariant);
}
