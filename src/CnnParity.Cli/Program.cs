using System.CommandLine;
using CnnParity.Cli.Commands;
using CnnParity.Cli.Native;
using CnnParity.Cli.Supervision;
using CnnParity.Core;

namespace CnnParity.Cli;

/// <summary>
/// Entry point: builds the command tree and maps failures to exit codes.
/// 0 = success, 1 = a parity check failed or training diverged, 2 = usage or data error,
/// 130 / 143 = stopped by SIGINT / SIGTERM (see <see cref="Interruption"/>).
/// Every failure is one line on stderr starting with "cnnparity: ".
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        NativeStderr.Capture(); // before anything can load LibTorch
        BackendGuard.EnterChild();
        try
        {
            return Run(args);
        }
        finally
        {
            NativeStderr.Release();
        }
    }

    static int Run(string[] args)
    {
        using var signals = Interruption.Listen();
        var root = new RootCommand("CnnParity: a from-scratch CNN held against NumPy, TorchSharp and ONNX Runtime.");
        root.Subcommands.Add(DataCommand.Create());
        root.Subcommands.Add(ArchCommand.Create());
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(ReportCommand.Create());
        root.Subcommands.Add(ParityCommand.Create());
        root.Subcommands.Add(BenchCommand.Create());
        root.Subcommands.Add(ExportCommand.Create());
        root.Subcommands.Add(OnnxCheckCommand.Create());
        root.Subcommands.Add(DoctorCommand.Create());
        root.Subcommands.Add(DoctorWorkerCommand.Create());

        ParseResult parsed = root.Parse(args);
        if (parsed.Errors.Count > 0)
        {
            foreach (var error in parsed.Errors)
                Console.Error.WriteLine($"cnnparity: {error.Message}");
            return 2;
        }
        try
        {
            return parsed.Invoke(new InvocationConfiguration { EnableDefaultExceptionHandler = false });
        }
        // Once a signal has arrived, whatever unwinds the run (the cancellation itself, or a child process that
        // got the terminal's Ctrl-C too) is the interruption, reported as such.
        catch (Exception) when (Interruption.Requested)
        {
            Console.Error.WriteLine($"cnnparity: {Interruption.Message}");
            return Interruption.ExitCode;
        }
        catch (CnnParityException e)
        {
            Console.Error.WriteLine($"cnnparity: {e.Message}");
            return e.ExitCode;
        }
    }
}
