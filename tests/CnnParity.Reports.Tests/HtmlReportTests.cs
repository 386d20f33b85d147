using System.Text.RegularExpressions;
using CnnParity.Reports.Metrics;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Tests;

public class HtmlReportTests
{
    private static readonly Lazy<string> Html = new(() =>
    {
        var r = SyntheticReport.Create(epochs: 60, testCount: 300);
        return HtmlReportWriter.Render(r, MlNetMetrics.EvaluateAll(r.Training));
    });

    [Fact]
    public void Is_self_contained()
    {
        string html = Html.Value;
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.DoesNotContain("<script", html);
        Assert.DoesNotContain("<link", html);
        Assert.DoesNotContain("@import", html);
        // Images inside the SVGs (the heatmaps) are data URIs.
        Assert.All(Regex.Matches(html, @"(?:src|href)=""([^""#][^""]*)""").Select(m => m.Groups[1].Value),
            url => Assert.StartsWith("data:", url));
    }

    [Fact]
    public void Environment_names_the_CnnParity_version_beside_TorchSharp_and_LibTorch()
    {
        var e = SyntheticReport.Create(epochs: 60, testCount: 300).Environment;
        string html = Html.Value;
        string row = $"<tr><td>CnnParity</td><td>{e.CnnParity}</td></tr>\n<tr><td>TorchSharp</td><td>{e.TorchSharp}</td></tr>\n" +
                     $"<tr><td>LibTorch</td><td>{e.LibTorch}</td></tr>";
        Assert.Contains(row, html);
    }

    [Fact]
    public void Draws_every_plot_as_inline_svg()
    {
        string html = Html.Value;
        // accuracy, lockstep drift, forward error, speed, and one confusion matrix per model (4).
        Assert.Equal(4 + 4, Regex.Matches(html, "<svg").Count);
        Assert.Contains("Test accuracy per epoch", html);
        Assert.Contains("Lockstep: drift per epoch", html);
        Assert.Contains("Forward pass: max relative error per layer", html);
        Assert.Contains("Speed: median time relative to the fastest", html);
        Assert.Contains("<span class=\"verdict pass\">PASS</span>", html);
    }

    [Fact]
    public void Ids_are_unique_across_the_inlined_svgs()
    {
        var ids = Regex.Matches(Html.Value, @"\bid=""([^""]+)""").Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }
}
