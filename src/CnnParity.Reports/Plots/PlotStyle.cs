using ScottPlot;
using SkiaSharp;

namespace CnnParity.Reports.Plots;

/// <summary>What every plot in the report shares: font, sizes, and the SVG export.</summary>
internal static class PlotStyle
{
    public const int Width = 900;
    public const int Height = 420;

    /// <summary>
    /// ScottPlot measures text with SkiaSharp, whose Linux build reads font files from /usr/share/fonts and,
    /// left alone, picks the first family it finds (here a serif). Ask for a sans family by name; the SVG
    /// names the same family, so the browser draws with the font the layout was measured with.
    /// </summary>
    private static readonly string? Font = new[] { "DejaVu Sans", "Liberation Sans", "Arial", "Helvetica" }
        .FirstOrDefault(f => string.Equals(SKTypeface.FromFamilyName(f)?.FamilyName, f, StringComparison.Ordinal));

    public static Plot New(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (Font is not null) plot.Font.Set(Font);
        plot.Title(title, size: 16);
        plot.XLabel(xLabel, size: 13);
        plot.YLabel(yLabel, size: 13);
        return plot;
    }

    /// <summary>Epochs are whole numbers: a 3-epoch quick run must not be labelled 0.1, 0.2, ...</summary>
    public static void EpochAxis(Plot plot) =>
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericAutomatic { IntegerTicksOnly = true };

    /// <summary>The plot as an SVG fragment ready to inline in the report.</summary>
    public static string Svg(Plot plot, string id, int width = Width, int height = Height) =>
        SvgInline.Prepare(plot.GetSvgXml(width, height), id);
}
