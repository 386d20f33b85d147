using System.CommandLine;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Cli.Supervision;
using CnnParity.Core.Architecture;
using CnnParity.Reports.Model;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Writers;
using CnnParity.Torch;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity report`: the main job, for any network (ch10, the default, or --arch SPEC). Runs every check, trains every
/// model, times them, and writes parity-report.{md,json,html} (<see cref="ReportPipeline"/>). Exit 0 on PASS, 1 on FAIL,
/// 2 on bad input (a bad spec included: nothing written). It runs under <see cref="BackendGuard"/> (issue 20): when LibTorch
/// crashes, the report is still written, its FAIL section saying how, and the exit is 1.
/// </summary>
public static class ReportCommand
{
    /// <summary>What --quick changes: a few epochs on a test subset, under five minutes on two cores.</summary>
    public const int QuickEpochs = 3, QuickTests = 1000, QuickBenchRepetitions = 2;

    public static Command Create()
    {
        var network = new NetworkOptions();
        var quick = new Option<bool>("--quick") { Description = $"{QuickEpochs} epochs on the first {QuickTests} test images (what CI runs)" };
        var output = new Option<string>("--out") { Description = "folder for the report files", DefaultValueFactory = _ => "reports" };
        var bench = CliOptions.NonNegative("--bench-reps", "timed epochs per implementation in the speed section (0 skips it)", 3, 100);
        var numPyTests = CliOptions.Positive("--numpy-test",
            "ch10: test images per NumPy epoch in the speed section (default: the run's test count; with --quick, 1000)", 10000, 10000);
        var arch = CliOptions.Arch();
        var momentum = CliOptions.Momentum();
        var shuffle = CliOptions.Shuffle();
        var decay = CliOptions.LearningRateDecay();
        var optimizer = new OptimizerOptions();
        var command = new Command("report", "Run every check and write the parity report (Markdown, JSON, HTML).");
        network.AddTo(command);
        optimizer.AddTo(command);
        foreach (var option in new Option[] { quick, output, bench, numPyTests, arch, momentum, shuffle, decay }) command.Options.Add(option);
        command.Subcommands.Add(ReportMergeCommand.Create());
        command.SetAction(parsed =>
        {
            bool isQuick = parsed.GetValue(quick);
            var spec = SpecSource.Read(parsed.GetValue(arch)!, parsed.GetValue(network.NumKernels), parsed.GetValue(network.Grid));
            if (spec.IsChapter10) RunOptions.RejectForChapter10(parsed, [momentum, shuffle, decay, .. optimizer.All]);
            var training = RunOptions.Training(parsed, network, optimizer, spec, momentum, parsed.GetValue(shuffle), parsed.GetValue(decay), [numPyTests]);
            if (isQuick)
                training = training with
                {
                    Epochs = Explicit(parsed, network.Epochs) ? training.Epochs : QuickEpochs,
                    TestCount = Explicit(parsed, network.Test) ? training.TestCount : QuickTests,
                };
            string outDir = parsed.GetValue(output)!;
            ReportFolder.CheckWritable(outDir);
            Interruption.Outcome = Interruption.LeftIntact("report", Path.Combine(outDir, JsonReportWriter.FileName), outDir);
            string dataset = parsed.GetValue(network.Dataset)!;
            var exp = network.Exp(parsed);
            return BackendGuard.Run(new BackendRun(spec.DisplayName, BackendProbe.For(training),
                () =>
                {
                    Interruption.Activity = "loading the data";
                    var (data, folder) = DataLoading.Load(dataset, parsed.GetValue(network.Data), training.TrainCount, training.TestCount);
                    TorchSharpNatives.EnsureLoadable(Console.Error); // before the first touch of TorchSharp
                    string pinned = TorchRuntime.Pin();
                    var options = new ReportOptions(training, dataset, folder.Path, isQuick,
                        isQuick && !Explicit(parsed, bench) ? QuickBenchRepetitions : parsed.GetValue(bench),
                        Explicit(parsed, numPyTests) ? parsed.GetValue(numPyTests) : training.TestCount, pinned, exp);
                    return Write(ReportPipeline.Run(options, data, Interruption.Track(new CliProgress()), Interruption.Token), outDir);
                },
                crash => CrashReports.Report(crash, training, dataset, isQuick, exp, outDir)));
        });
        return command;
    }

    static int Write(ParityReport report, string outDir)
    {
        Interruption.ThrowIfRequested(); // past this point the new report is written whole
        Interruption.Activity = "writing the report";
        var written = ReportFolder.Write(report, outDir);
        Console.WriteLine($"{report.Verdict}: {written.MarkdownPath}, {written.JsonPath}, {written.HtmlPath}");
        foreach (string reason in report.Reasons) Console.WriteLine($"  {reason}");
        return report.Verdict == "PASS" ? 0 : 1;
    }

    static bool Explicit(ParseResult parsed, Option option) => parsed.GetResult(option) is { Implicit: false };
}
