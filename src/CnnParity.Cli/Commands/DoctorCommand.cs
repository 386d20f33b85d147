using System.CommandLine;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Core;
using CnnParity.Core.Architecture;
using CnnParity.Parity.Doctor;
using CnnParity.Parity.Specs;
using CnnParity.Reports.Doctor;
using CnnParity.Reports.Pipeline;
using CnnParity.Reports.Writers;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity doctor`: is LibTorch right on this machine? Sweeps the LibTorch ops CnnParity uses against the engine's
/// float64 truth, each group in a worker process that may die (<see cref="DoctorRun"/>), prints a table, writes
/// doctor-report.{md,json,html}. Exit 0 when LibTorch is right everywhere, 1 when it is wrong or crashes, 2 on bad options.
/// </summary>
public static class DoctorCommand
{
    public static Command Create()
    {
        var quick = new Option<bool>("--quick") { Description = "a short sweep (every op, a few shapes each, issue 20's known-bad shapes): what CI runs" };
        var arch = new Option<string?>("--arch") { Description = "only the shapes this spec's layers give LibTorch (a preset, a spec, or a file holding one)" };
        var isa = new Option<bool>("--isa") { Description = $"repeat the failing cases under each {TorchSetting.IsaVariable} cap and at 1 and all threads, and name the cheapest setting that is right" };
        var output = new Option<string>("--out") { Description = "folder for the report files", DefaultValueFactory = _ => "reports" };
        var batch = CliOptions.Positive("--batch", "with --arch: the training batch size the run uses", 128, 60000);
        var command = new Command("doctor", "Check that LibTorch is right on this machine: its ops against the from-scratch float64 truth, crashes survived.");
        foreach (var option in new Option[] { quick, arch, isa, output, batch }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            string? archText = parsed.GetValue(arch);
            if (archText is not null && parsed.GetValue(quick))
                throw new CnnParityException("give --quick or --arch SPEC, not both");
            if (archText is null && CliOptions.Explicit(parsed, batch))
                throw new CnnParityException("--batch sets the batch of an --arch sweep: give it with --arch SPEC");
            string outDir = parsed.GetValue(output)!;
            var (cases, sweep) = Cases(archText, parsed.GetValue(quick), parsed.GetValue(batch));
            ReportFolder.CheckWritable(outDir);
            Interruption.Outcome = Interruption.LeftIntact("doctor report", Path.Combine(outDir, DoctorJsonWriter.FileName), outDir);

            var supervisor = new DoctorSupervisor(SelfLaunch.Current()) { Cancel = Interruption.Token, StderrLine = NativeStderr.PassOnOwnMessage };
            var progress = Interruption.Track(new CliProgress());
            var report = progress.Phase($"doctor: {cases.Count} cases ({sweep})", cases.Count, step =>
                DoctorRun.Run(supervisor, cases, sweep, parsed.GetValue(isa), ReportEnvironmentProbe.CnnParityVersion,
                    onResult: r => step($"{DoctorConsole.Outcome(r)}  {r.Case.Id}"),
                    onTrial: (setting, count) => Console.Error.WriteLine($"--isa: {count} failing cases under {setting}...")));
            Interruption.ThrowIfRequested();
            var written = DoctorReportFolder.Write(report, outDir);
            foreach (string line in DoctorConsole.Lines(report)) Console.WriteLine(line);
            Console.WriteLine($"report: {string.Join(", ", written)}");
            return report.Passed ? 0 : 1;
        });
        return command;
    }

    static (IReadOnlyList<DoctorCase> Cases, string Sweep) Cases(string? arch, bool quick, int batch)
    {
        if (arch is null)
            return quick ? (DoctorSweep.Quick(), "quick") : (DoctorSweep.Full(), "full");
        var spec = SpecSource.Read(arch, 4, 26);
        // The batches a parity run of the spec gives LibTorch: its training batch, the forward check's chunks of the
        // test set and the evaluation's (SpecForwardParity.Chunk, 1000).
        var cases = DoctorSweep.ForSpec(spec, [SpecForwardParity.Chunk, 1000], [batch], [Dtype.Float32, Dtype.Float64]);
        return (cases, $"arch {spec.DisplayName}");
    }
}
