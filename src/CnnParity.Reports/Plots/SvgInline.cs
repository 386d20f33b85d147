using System.Text.RegularExpressions;

namespace CnnParity.Reports.Plots;

/// <summary>
/// Makes ScottPlot's standalone SVG safe to paste into one HTML page beside other SVGs.
/// </summary>
internal static partial class SvgInline
{
    /// <summary>
    /// Drops the XML declaration and the namespace declarations (the HTML parser supplies both namespaces, and
    /// the page then holds no http URL at all), and prefixes every id: ScottPlot numbers its clip paths and
    /// images from 0 in each SVG, and duplicate ids on one page would clip one plot with another's rectangle.
    /// </summary>
    public static string Prepare(string svg, string idPrefix)
    {
        svg = XmlDeclaration().Replace(svg, "");
        svg = NamespaceDeclaration().Replace(svg, "");
        svg = Id().Replace(svg, m => $"id=\"{idPrefix}-{m.Groups[1].Value}\"");
        svg = UrlRef().Replace(svg, m => $"url(#{idPrefix}-{m.Groups[1].Value})");
        svg = HrefRef().Replace(svg, m => $"{m.Groups[1].Value}=\"#{idPrefix}-{m.Groups[2].Value}\"");
        // A viewBox lets the page shrink the plot to a narrow window instead of cutting it off.
        svg = RootSize().Replace(svg, m => $"{m.Value} viewBox=\"0 0 {m.Groups[1].Value} {m.Groups[2].Value}\"", 1);
        return svg.Trim();
    }

    [GeneratedRegex(@"<\?xml[^>]*\?>")]
    private static partial Regex XmlDeclaration();

    [GeneratedRegex(@"\s+xmlns(:\w+)?=""[^""]*""")]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\bid=""([^""]+)""")]
    private static partial Regex Id();

    [GeneratedRegex(@"url\(#([^)]+)\)")]
    private static partial Regex UrlRef();

    [GeneratedRegex(@"<svg\s+width=""(\d+)""\s+height=""(\d+)""")]
    private static partial Regex RootSize();

    [GeneratedRegex(@"((?:xlink:)?href)=""#([^""]+)""")]
    private static partial Regex HrefRef();
}
