namespace CnnParity.Core.Data;

/// <summary>
/// Base URLs to download a dataset from instead of the catalog's: <c>data fetch --mirror URL</c> (repeatable) or the
/// environment variable <see cref="EnvironmentVariable"/> (URLs separated by spaces or commas), for a local mirror, a
/// proxy, or a test's loopback server. Each must be an absolute http or https URL; a trailing '/' is added.
/// </summary>
public static class MirrorList
{
    public const string EnvironmentVariable = "CNNPARITY_MIRRORS";

    /// <summary>The URLs in <paramref name="urls"/>, or null when there are none; a bad one is a one-line error naming <paramref name="source"/>.</summary>
    public static IReadOnlyList<Uri>? Parse(IEnumerable<string>? urls, string source)
    {
        var list = (urls ?? []).Where(u => !string.IsNullOrWhiteSpace(u)).Select(u => u.Trim()).ToList();
        if (list.Count == 0)
            return null;
        return list.Select(url =>
            Uri.TryCreate(url.EndsWith('/') ? url : url + "/", UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                ? uri
                : throw new CnnParityException($"{source} '{url}' is not an absolute http or https URL")).ToList();
    }

    /// <summary>The mirrors named by <see cref="EnvironmentVariable"/>, or null when it is not set.</summary>
    public static IReadOnlyList<Uri>? FromEnvironment(Func<string, string?> environment) =>
        Parse(environment(EnvironmentVariable)?.Split([' ', ',', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries), $"${EnvironmentVariable}");
}
