using CnnParity.Reports.Metrics;
using CnnParity.Reports.Model;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Tests;

public class MarkdownReportTests
{
    private static string Md(ParityReport r) => MarkdownReportWriter.Render(r, MlNetMetrics.EvaluateAll(r.Training));

    [Fact]
    public void Verdict_comes_first_then_the_tables()
    {
        string md = Md(SyntheticReport.Create(epochs: 300, testCount: 200));
        var lines = md.Split('\n');

        Assert.Equal("# PASS: CnnParity parity report", lines[0]);
        Assert.Contains("| layer | dtype | scope | max abs | max rel | max ULP | bitwise equal | tolerance | result |", lines);
        Assert.Contains("| tensor | dtype | compared | elements | max abs | max rel | max ULP | tolerance | result |", lines);
        Assert.Contains(lines, l => l.StartsWith("| conv1 | f64 | first batch | 2.20e-16 | 4.40e-16 | 2 | 99.0% | f64 forward | PASS |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("- **kernels:** The book's kernel update points uphill", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("| implementation | work | rounds | median |", StringComparison.Ordinal));
        Assert.Contains("| TorchSharp | one epoch | 7 | 490.0 ms | 475.3 ms – 519.4 ms | 1.00× | 0.95× – 1.04× |", lines);
        Assert.Contains(lines, l => l.StartsWith("| model | images | micro accuracy | macro accuracy | log-loss |", StringComparison.Ordinal));
        Assert.True(md.IndexOf("## Environment", StringComparison.Ordinal) < md.IndexOf("## Forward parity", StringComparison.Ordinal));
    }

    /// <summary>A run of a few epochs shows every epoch's accuracy, whichever network (ch10 or a spec); a long one the book's stride of 25.</summary>
    [Theory]
    [InlineData(false, 5, "0,1,2,3,4")]
    [InlineData(true, 5, "0,1,2,3,4")]
    [InlineData(true, 60, "0,25,50")]
    public void A_short_run_shows_every_epoch(bool chapter10, int epochCount, string epochs)
    {
        var r = SyntheticReport.Create(epochs: epochCount, testCount: 20);
        if (!chapter10) r = r with { Configuration = r.Configuration with { Arch = "lenet5", NumKernels = null, Grid = null, Momentum = 0.9 } };

        var lines = Md(r).Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("| epoch |", StringComparison.Ordinal));
        var rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.Equal(epochs, string.Join(",", rows.TakeWhile(e => e != "final")));
        Assert.Contains(epochCount > 25 ? "every 25 epochs" : "every epoch (0-based)", Md(r));
    }

    [Theory]
    [InlineData(16, "yes")]
    [InlineData(4, "n/a here")]
    public void Speed_shows_the_compute_floor_and_the_goals(int kernels, string met)
    {
        var lines = Md(SyntheticReport.Create(epochs: 3, testCount: 20, kernels: kernels)).Split('\n');
        Assert.Contains("**Compute floor:** 2.33 G multiply-adds per epoch at 20 G/s per thread × 2 threads = 58.0 ms per epoch. " +
                        "The sums only: tanh, the dropout mask and memory traffic come on top. The rate was measured on this machine just " +
                        $"before the rounds (512-bit vectors; {ComputeFloorRow.MeasuredBy}).", lines);
        Assert.Contains("| goal | against | measured | round by round | target | set for | met |", lines);
        Assert.Contains("| fast path vs TorchSharp twin (f64) at its faster thread count, epoch | TorchSharp twin (f64, 2 threads) | 18.70× | " +
                        $"15.20× – 21.00× | ≥ 10× | K=16, test pass of 10,000 | {met} |", lines);
    }

    [Fact]
    public void Speed_says_why_NumPy_is_missing()
    {
        var r = SyntheticReport.Create(epochs: 3, testCount: 20);
        Assert.DoesNotContain("was not timed", Md(r));
        var noNumPy = r with
        {
            Environment = r.Environment with { NumPy = null },
            Speed = r.Speed with
            {
                Rows = [.. r.Speed.Rows.Where(s => s.Implementation != "NumPy")],
                NumPyMissing = "python3-numpy is not installed (apt-get install -y python3-numpy)",
            },
        };
        Assert.Contains("NumPy's reference program was not timed: python3-numpy is not installed (apt-get install -y python3-numpy).", Md(noNumPy));
    }

    [Fact]
    public void Accuracy_rows_every_25_epochs_then_final_and_best()
    {
        string md = Md(SyntheticReport.Create(epochs: 300, testCount: 100));
        var rows = md.Split('\n').SkipWhile(l => !l.StartsWith("| epoch |", StringComparison.Ordinal))
            .TakeWhile(l => l.StartsWith('|')).Skip(2).Select(l => l.Split('|')[1].Trim()).ToList();
        Assert.Equal([.. Enumerable.Range(0, 12).Select(i => (i * 25).ToString(System.Globalization.CultureInfo.InvariantCulture)), "final", "best test"], rows);
        // The one-epoch ML.NET baseline appears only in the final and best rows.
        string zero = md.Split('\n').First(l => l.StartsWith("| 0 |", StringComparison.Ordinal));
        Assert.EndsWith("| – |", zero);
        Assert.DoesNotContain("book, as printed", md);
    }

    [Fact]
    public void The_book_configuration_shows_the_printed_run_beside_ours()
    {
        string md = Md(SyntheticReport.Create(epochs: 300, testCount: 100, kernels: 16, grid: 25));
        Assert.Contains("book, as printed |", md);
        Assert.Contains("0.8774 / 0.8140 (I:299) |", md);
    }

    [Fact]
    public void A_failing_report_says_why_under_the_verdict()
    {
        string md = Md(SyntheticReport.Create(epochs: 5, testCount: 20, failForward: true));
        var lines = md.Split('\n');
        Assert.Equal("# FAIL: CnnParity parity report", lines[0]);
        Assert.StartsWith("- forward loss (f32, first batch)", lines[2]);
        Assert.Contains("| **FAIL** |", md);
    }

    [Fact]
    public void Summary_holds_verdict_and_tables_but_not_the_environment()
    {
        var r = SyntheticReport.Create(epochs: 5, testCount: 20);
        string summary = MarkdownReportWriter.RenderSummary(r, MlNetMetrics.EvaluateAll(r.Training));
        Assert.StartsWith("# PASS: CnnParity parity report\n", summary);
        Assert.Contains("## Forward parity", summary);
        Assert.Contains("## Speed", summary);
        Assert.DoesNotContain("## Environment", summary);
    }
}
