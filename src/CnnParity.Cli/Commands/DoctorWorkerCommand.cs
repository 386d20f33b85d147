using System.CommandLine;
using CnnParity.Cli.Native;
using CnnParity.Cli.Options;
using CnnParity.Parity.Doctor;

namespace CnnParity.Cli.Commands;

/// <summary>
/// `cnnparity doctor-worker` (hidden): the doctor's child process (<see cref="DoctorWorker"/>). Reads case ids on stdin,
/// writes one JSON line per event on stdout. Started by <see cref="DoctorSupervisor"/>, never by hand.
/// </summary>
public static class DoctorWorkerCommand
{
    public static Command Create()
    {
        var torchThreads = CliOptions.NonNegative("--torch-threads", "LibTorch's intra-op threads (0: its default)", 1, 1024);
        var truthThreads = CliOptions.Positive("--truth-threads", "threads for the float64 truth", Environment.ProcessorCount, 1024);
        var probe = new Option<bool>("--probe") { Description = "LibTorch's side only (a pre-flight probe)" };
        var nnpack = new Option<bool>("--nnpack") { Description = "ask LibTorch whether NNPACK initialises" };
        var command = new Command(DoctorSupervisor.WorkerVerb, "The doctor's worker process (internal).") { Hidden = true };
        foreach (var option in new Option[] { torchThreads, truthThreads, probe, nnpack }) command.Options.Add(option);
        command.SetAction(parsed =>
        {
            TorchSharpNatives.EnsureLoadable(Console.Error);
            return DoctorWorker.Run(Console.In, Console.Out, new DoctorWorker.Options(
                parsed.GetValue(torchThreads), parsed.GetValue(probe), parsed.GetValue(nnpack), parsed.GetValue(truthThreads)));
        });
        return command;
    }
}
