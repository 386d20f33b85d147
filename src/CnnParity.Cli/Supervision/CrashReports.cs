using CnnParity.Core.Engines;
using CnnParity.Core.IO;
using CnnParity.Core.NumPy;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Model;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Specs;
using CnnParity.Reports.Writers;
using CnnParity.Torch;

namespace CnnParity.Cli.Supervision;

/// <summary>
/// The reports a run writes when LibTorch crashed it (<see cref="BackendGuard"/>): the same files as a finished run, a
/// FAIL whose reason and "backend" section say how, and no results. Each returns the exit code, 1.
/// </summary>
internal static class CrashReports
{
    /// <summary>`report`: parity-report.{md,json,html}.</summary>
    public static int Report(BackendCrash crash, SpecTrainerOptions training, string dataset, bool quick, NumPyExpChoice exp, string outDir)
    {
        var report = new ParityReport("FAIL", [crash.Reason], ReportEnvironmentProbe.Read(training.Threads, numPyVersion: null),
            ReportConfiguration.From(training, dataset, quick, TorchRuntime.Pin(), exp),
            SpecParityResult.Failed(null, training.Spec.DisplayName, crash.Reason), [], [], SpeedSection.Empty, null, crash);
        var written = ReportFolder.Write(report, outDir);
        Console.WriteLine($"{report.Verdict}: {written.MarkdownPath}, {written.JsonPath}, {written.HtmlPath}");
        Console.WriteLine($"  {crash.Reason}");
        return 1;
    }

    /// <summary>`parity` (any network) and `parity --grid`: the parity file, with no spec checked.</summary>
    public static int SpecParity(BackendCrash crash, SpecParitySettings settings, GridSelection? grid, string path)
    {
        AtomicFile.WriteAllText(path, SpecParityJson.Render(new SpecParityReport(settings, grid, [], crash)));
        return Printed(crash, Path.GetFullPath(path));
    }

    /// <summary>`bench` and `onnx-check`, which write no report: the FAIL, on stdout.</summary>
    public static int Printed(BackendCrash crash, string? written = null)
    {
        Console.WriteLine(written is null ? "FAIL" : $"FAIL: {written}");
        Console.WriteLine($"  {crash.Reason}");
        return 1;
    }
}
