using CnnParity.Core;
using CnnParity.Reports.Writers;

namespace CnnParity.Reports.Tests;

public sealed class ReportFolderTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "cnnparity-report-tests-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_dir)) Directory.Delete(_dir, recursive: true);
    }

    private static readonly string[] Names = [MarkdownReportWriter.FileName, JsonReportWriter.FileName, HtmlReportWriter.FileName];

    [Fact]
    public void Writes_the_three_files_into_a_new_folder()
    {
        var out_ = Path.Combine(_dir, "nested", "reports");
        var written = ReportFolder.Write(SyntheticReport.Create(epochs: 5, testCount: 50), out_, stepSummaryPath: null);

        Assert.Equal(Path.GetFullPath(out_), written.Folder);
        Assert.Equal(Names.Order(), Directory.GetFiles(out_).Select(Path.GetFileName).Order());
        Assert.StartsWith("# PASS", File.ReadAllText(written.MarkdownPath));
        Assert.Equal(4, written.Metrics.Count); // one per training run: the book rule, the lockstep pair, ML.NET
    }

    [Fact]
    public void A_failure_mid_write_leaves_the_previous_report_intact()
    {
        ReportFolder.Write(SyntheticReport.Create(epochs: 5, testCount: 50), _dir, stepSummaryPath: null);
        var before = Names.ToDictionary(n => n, n => File.ReadAllBytes(Path.Combine(_dir, n)));

        var next = ReportFolder.Render(SyntheticReport.Create(epochs: 9, testCount: 50, failForward: true), []);
        int calls = 0;
        var e = Assert.Throws<CnnParityException>(() => ReportFolder.WriteAll(_dir, next, (path, bytes) =>
        {
            if (++calls == 2) throw new IOException("No space left on device");
            File.WriteAllBytes(path, bytes);
        }));

        Assert.Equal(2, e.ExitCode);
        Assert.Contains("No space left on device", e.Message);
        foreach (var n in Names) Assert.Equal(before[n], File.ReadAllBytes(Path.Combine(_dir, n)));
        Assert.Equal(Names.Order(), Directory.GetFiles(_dir).Select(Path.GetFileName).Order()); // no temp files left
    }

    [Fact]
    public void A_second_write_replaces_every_file()
    {
        ReportFolder.Write(SyntheticReport.Create(epochs: 5, testCount: 50), _dir, stepSummaryPath: null);
        ReportFolder.Write(SyntheticReport.Create(epochs: 5, testCount: 50, failForward: true), _dir, stepSummaryPath: null);
        Assert.StartsWith("# FAIL", File.ReadAllText(Path.Combine(_dir, MarkdownReportWriter.FileName)));
        Assert.Contains("\"verdict\": \"FAIL\"", File.ReadAllText(Path.Combine(_dir, JsonReportWriter.FileName)));
        Assert.Contains("verdict fail", File.ReadAllText(Path.Combine(_dir, HtmlReportWriter.FileName)));
        Assert.Equal(3, Directory.GetFiles(_dir).Length);
    }

    [Fact]
    public void A_folder_that_cannot_be_created_is_a_one_line_error_with_exit_code_2()
    {
        Directory.CreateDirectory(_dir);
        string file = Path.Combine(_dir, "a-file");
        File.WriteAllText(file, "not a folder");

        var e = Assert.Throws<CnnParityException>(() =>
            ReportFolder.Write(SyntheticReport.Create(epochs: 3, testCount: 20), Path.Combine(file, "reports"), stepSummaryPath: null));

        Assert.Equal(2, e.ExitCode);
        Assert.DoesNotContain('\n', e.Message);
        Assert.StartsWith("cannot write the report to", e.Message);
    }

    [Fact]
    public void Appends_the_summary_to_the_step_summary_file()
    {
        Directory.CreateDirectory(_dir);
        string summary = Path.Combine(_dir, "step-summary.md");
        File.WriteAllText(summary, "earlier step\n");

        var written = ReportFolder.Write(SyntheticReport.Create(epochs: 3, testCount: 20), Path.Combine(_dir, "out"), summary);

        string text = File.ReadAllText(summary);
        Assert.StartsWith("earlier step\n# PASS: CnnParity parity report\n", text);
        Assert.Contains("## Forward parity", text);
        Assert.Equal(summary, written.StepSummaryPath);
    }
}
