using System.Diagnostics;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// Runs cases in worker processes, one group at a time (<see cref="DoctorCase.Group"/>), and survives them: a worker
/// that dies on a signal has its case in flight recorded as <see cref="CaseOutcome.Crashed"/> with the signal (its last
/// start line names it), and a new worker takes the group's remaining cases; one that stops answering for
/// <see cref="CaseLimit"/> is killed and its case recorded as <see cref="CaseOutcome.Hung"/>.
/// </summary>
public sealed class DoctorSupervisor(WorkerLaunch launch)
{
    /// <summary>The verb a worker runs (hidden from the command's help).</summary>
    public const string WorkerVerb = "doctor-worker";

    readonly List<string> _warnings = [];

    /// <summary>The longest a case may take before its worker is taken for hung (a guard, nothing is timed by it).</summary>
    public TimeSpan CaseLimit { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>Stops the sweep between two lines of a worker (the worker is killed): Ctrl-C.</summary>
    public CancellationToken Cancel { get; init; }

    /// <summary>
    /// Hears every line a worker writes on stderr, as it comes (the command passes on the program's own messages, such
    /// as the one-time note that TorchSharp's library was patched, which the first worker may be the one to make).
    /// </summary>
    public Action<string>? StderrLine { get; init; }

    /// <summary>Threads for the float64 truth in each worker.</summary>
    public int TruthThreads { get; init; } = Environment.ProcessorCount;

    /// <summary>Whether NNPACK initialises here, as the first worker asked LibTorch (null until then, or if it could not tell).</summary>
    public bool? Nnpack { get; private set; }

    bool _askedNnpack;

    /// <summary>LibTorch's distinct warnings in every worker, as each worker summed them up.</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>Every case under <paramref name="setting"/>, results in the cases' order; <paramref name="onResult"/> hears each as it comes.</summary>
    public IReadOnlyList<CaseResult> Run(IReadOnlyList<DoctorCase> cases, TorchSetting setting, bool probeOnly = false, Action<CaseResult>? onResult = null)
    {
        var results = new Dictionary<DoctorCase, CaseResult>(ReferenceEqualityComparer.Instance);
        foreach (var group in cases.GroupBy(c => c.Group))
        {
            var remaining = group.ToList();
            while (remaining.Count > 0)
            {
                var done = RunWorker(remaining, setting, probeOnly, onResult);
                foreach (var r in done) results[r.Case] = r;
                remaining = [.. remaining.Where(c => !results.ContainsKey(c))];
            }
        }
        return [.. cases.Select(c => results[c])];
    }

    // One worker over the cases, until they are done or it dies. Always returns at least one result, so the caller's
    // loop ends: a worker that dies before its first case fails that case.
    List<CaseResult> RunWorker(List<DoctorCase> cases, TorchSetting setting, bool probeOnly, Action<CaseResult>? onResult)
    {
        var byId = new Dictionary<string, DoctorCase>();
        foreach (var c in cases) byId.TryAdd(c.Id, c);
        bool askNnpack = !_askedNnpack;
        _askedNnpack = true;
        using var process = new Process { StartInfo = StartInfo(setting, probeOnly, askNnpack) };
        var lastWords = new Queue<string>();
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            StderrLine?.Invoke(e.Data);
            lock (lastWords)
            {
                lastWords.Enqueue(e.Data);
                if (lastWords.Count > 20) lastWords.Dequeue();
            }
        };
        process.Start();
        process.BeginErrorReadLine();
        var feeding = Task.Run(() =>
        {
            try
            {
                foreach (var c in cases) process.StandardInput.WriteLine(c.Id);
                process.StandardInput.Close();
            }
            catch (IOException)
            {
                // the worker died before reading them all: the cases it never started are run by the next one
            }
        });

        var results = new List<CaseResult>();
        DoctorCase? inFlight = null;
        bool inTruth = false, hung = false;
        using var stop = Cancel.Register(() => Kill(process));
        while (true)
        {
            var reading = process.StandardOutput.ReadLineAsync();
            if (!reading.Wait(CaseLimit, Cancel))
            {
                hung = true;
                Kill(process);
                break;
            }
            if (reading.Result is not { } line)
                break;
            var message = WorkerMessage.Parse(line);
            switch (message?.Kind)
            {
                case WorkerMessage.Hello when askNnpack:
                    Nnpack = message.Nnpack;
                    break;
                case WorkerMessage.Start:
                    inFlight = byId.GetValueOrDefault(message.Case ?? "");
                    inTruth = false;
                    break;
                case WorkerMessage.Truth:
                    inTruth = true;
                    break;
                case WorkerMessage.Result when message.Case is not null && byId.TryGetValue(message.Case, out var c):
                    var result = message.ToResult(c);
                    results.Add(result);
                    onResult?.Invoke(result);
                    inFlight = null;
                    break;
                case WorkerMessage.WarningsKind:
                    foreach (var w in message.Warnings ?? []) if (!_warnings.Contains(w)) _warnings.Add(w);
                    break;
            }
        }
        process.WaitForExit();
        feeding.Wait();
        if (results.Count == cases.Count)
            return results;

        string words;
        lock (lastWords) words = string.Join(" | ", lastWords.Where(l => l.Trim().Length > 0).TakeLast(3));
        int? signal = hung ? null : Signals.FromExitCode(process.ExitCode);
        var victim = inFlight ?? cases.First(c => !results.Any(r => ReferenceEquals(r.Case, c)));
        var fate = hung
            ? new CaseResult(victim, CaseOutcome.Hung, Detail: $"no answer in {CaseLimit.TotalMinutes:0} minutes; the worker was killed")
            : inTruth && inFlight is not null
                ? new CaseResult(victim, CaseOutcome.Failed, Detail: $"LibTorch was done; the float64 truth (CnnParity's own code) ended the worker " +
                    $"with {(signal is int t ? Signals.Name(t) : $"exit code {process.ExitCode}")}{(words.Length > 0 ? $": {words}" : "")}")
            : signal is int s
                ? new CaseResult(victim, CaseOutcome.Crashed, Signal: s, Detail: words.Length > 0 ? words : null)
                : new CaseResult(victim, CaseOutcome.Failed, Detail: $"the worker ended with exit code {process.ExitCode}" +
                    (inFlight is null ? " before it started this case" : "") + (words.Length > 0 ? $": {words}" : ""));
        results.Add(fate);
        onResult?.Invoke(fate);
        return results;
    }

    static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already gone
        }
    }

    ProcessStartInfo StartInfo(TorchSetting setting, bool probeOnly, bool askNnpack)
    {
        var start = new ProcessStartInfo(launch.FileName)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string a in launch.Prefix) start.ArgumentList.Add(a);
        start.ArgumentList.Add(WorkerVerb);
        start.ArgumentList.Add("--torch-threads");
        start.ArgumentList.Add(setting.Threads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--truth-threads");
        start.ArgumentList.Add(TruthThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (probeOnly) start.ArgumentList.Add("--probe");
        if (askNnpack) start.ArgumentList.Add("--nnpack");
        if (setting.Isa is null) start.Environment.Remove(TorchSetting.IsaVariable);
        else start.Environment[TorchSetting.IsaVariable] = setting.Isa;
        return start;
    }
}
