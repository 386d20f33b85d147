using System.Diagnostics;
using CnnParity.Torch.Native;
using static TorchSharp.torch;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// The child process's side of the doctor (<c>cnnparity doctor-worker</c>, a hidden verb): reads case ids from its
/// input, one a line, and for each writes a start line, runs LibTorch's side and the truth, and writes the result
/// (<see cref="WorkerMessage"/>). If LibTorch kills the process, the supervisor knows from the last start line which
/// case did it.
/// </summary>
public static class DoctorWorker
{
    /// <param name="TorchThreads">LibTorch's intra-op threads (0: LibTorch's default, every core)</param>
    /// <param name="ProbeOnly">LibTorch's side alone, no truth: a pre-flight probe of whether it runs</param>
    /// <param name="AskNnpack">ask LibTorch whether NNPACK initialises here (it warns once if not)</param>
    /// <param name="TruthThreads">threads for the float64 truth (the same bits for any number)</param>
    public sealed record Options(int TorchThreads, bool ProbeOnly, bool AskNnpack, int TruthThreads);

    public static int Run(TextReader input, TextWriter output, Options options)
    {
        if (options.TorchThreads > 0)
            set_num_threads(options.TorchThreads);
        Say(output, new WorkerMessage { Kind = WorkerMessage.Hello, Threads = get_num_threads(), Nnpack = options.AskNnpack ? Nnpack.Available() : null });
        while (input.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
                continue;
            DoctorCase c;
            try
            {
                c = DoctorCase.Parse(line.Trim());
            }
            catch (FormatException e)
            {
                Say(output, new WorkerMessage { Kind = WorkerMessage.Result, Case = line.Trim(), Outcome = nameof(CaseOutcome.Failed), Detail = e.Message });
                continue;
            }
            Say(output, new WorkerMessage { Kind = WorkerMessage.Start, Case = c.Id });
            Say(output, WorkerMessage.From(RunCase(c, options, () => Say(output, new WorkerMessage { Kind = WorkerMessage.Truth, Case = c.Id }))));
        }
        Say(output, new WorkerMessage { Kind = WorkerMessage.WarningsKind, Warnings = [.. LibTorchWarnings.Seen.Select(w => LibTorchWarnings.Describe(w.Line, w.Count))] });
        return 0;
    }

    /// <summary>
    /// One case, start to judgement; an error from LibTorch (or anywhere) is the case's result, not the worker's end.
    /// <paramref name="truthStarts"/> is called once LibTorch is done: a crash past it is the truth's, not LibTorch's.
    /// </summary>
    public static CaseResult RunCase(DoctorCase c, Options options, Action? truthStarts = null)
    {
        string stage = "LibTorch";
        try
        {
            var inputs = CaseInputs.For(c);
            FaultInjection.BeforeCase(c);
            var clock = Stopwatch.StartNew();
            var torch = TorchSide.Run(c, inputs);
            double seconds = clock.Elapsed.TotalSeconds;
            torch = FaultInjection.AfterCase(c, torch);
            if (options.ProbeOnly)
                return CaseJudgement.Ran(c, torch, seconds);
            stage = "the float64 truth";
            truthStarts?.Invoke();
            return CaseJudgement.Judge(c, torch, CaseTruth.Compute(c, inputs, options.TruthThreads), seconds);
        }
        catch (Exception e) // the worker's boundary: whatever failed is this case's finding, and the next case runs
        {
            var error = e is AggregateException { InnerException: { } inner } ? inner : e;
            return new CaseResult(c, CaseOutcome.Failed, Detail: $"{stage} threw {error.GetType().Name}: {error.Message.Split('\n')[0]}");
        }
    }

    static void Say(TextWriter output, WorkerMessage message)
    {
        output.WriteLine(message.ToLine());
        output.Flush();
    }
}
