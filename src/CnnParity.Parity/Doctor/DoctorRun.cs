using System.Diagnostics;
using System.Globalization;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// The doctor start to finish: the sweep in workers at LibTorch's setting of CnnParity's checks (one intra-op thread,
/// the ISA as the environment leaves it), then, with --isa, the failing cases again under each
/// <see cref="TorchSetting.IsaTrials"/> setting, and the verdict, one line per problem and the recommended setting.
/// </summary>
public static class DoctorRun
{
    public static DoctorReport Run(DoctorSupervisor supervisor, IReadOnlyList<DoctorCase> cases, string sweep, bool isa, string cnnParityVersion,
        Action<CaseResult>? onResult = null, Action<TorchSetting, int>? onTrial = null)
    {
        var clock = Stopwatch.StartNew();
        var setting = new TorchSetting(Environment.GetEnvironmentVariable(TorchSetting.IsaVariable), Torch.TorchRuntime.IntraOpThreads);
        var results = supervisor.Run(cases, setting, onResult: onResult);
        var failing = results.Where(r => !r.IsGood).Select(r => r.Case).ToList();
        var trials = new List<IsaTrial>();
        if (isa && failing.Count > 0)
        {
            foreach (var trial in TorchSetting.IsaTrials)
            {
                onTrial?.Invoke(trial, failing.Count);
                trials.Add(new IsaTrial(trial, supervisor.Run(failing, trial)));
            }
        }
        var problems = results.Where(r => !r.IsGood).Select(Problem).ToList();
        return new DoctorReport(problems.Count == 0 ? "PASS" : "FAIL", problems, Recommend(failing.Count, isa, trials),
            DoctorMachine.Read(cnnParityVersion, supervisor.Nnpack), sweep, setting, results, isa, trials, supervisor.Warnings, clock.Elapsed.TotalSeconds);
    }

    /// <summary>One line for a case that is not right: what, and how far off.</summary>
    public static string Problem(CaseResult r) => r.Outcome switch
    {
        CaseOutcome.Crashed => $"{r.Case.Id}: crashed with {r.SignalName}",
        CaseOutcome.Wrong when r.Worst is { } w => string.Create(CultureInfo.InvariantCulture,
            $"{r.Case.Id}: wrong: {w.Tensor}[{w.Index}] = {Number(w.Torch)} where the float64 truth is {Number(w.Truth)} ({Times(w.Ratio)} its rounding bound {Number(w.Bound, 3)})"),
        CaseOutcome.Hung => $"{r.Case.Id}: hung: {r.Detail}",
        _ => $"{r.Case.Id}: {r.Outcome.ToString().ToLowerInvariant()}: {r.Detail}",
    };

    /// <summary>"4.83×", "3.08e+4×" or "infinitely far past".</summary>
    public static string Times(double ratio) => double.IsFinite(ratio) ? $"{Number(ratio, 3)}×" : "infinitely far past";

    /// <summary>A value in <paramref name="digits"/> significant digits: "0.589873", "3.08e+4", "1.2e-7".</summary>
    public static string Number(double x, int digits = 6)
    {
        double a = Math.Abs(x);
        if (!double.IsFinite(x) || a == 0 || a is >= 1e-3 and < 1e4)
            return x.ToString("G" + digits, CultureInfo.InvariantCulture);
        return x.ToString("0." + new string('#', digits - 1) + "e+0", CultureInfo.InvariantCulture);
    }

    /// <summary>The recommended setting, in one line: the cheapest ISA under which every failing case is right, and at which threads.</summary>
    public static string? Recommend(int failing, bool isa, IReadOnlyList<IsaTrial> trials)
    {
        if (failing == 0)
            return null;
        if (!isa)
            return "run `cnnparity doctor --isa` to find a setting under which LibTorch is right on this machine";
        var best = trials.FirstOrDefault(t => t.AllRight);
        if (best is null)
            return "no setting tried makes LibTorch right here (DNNL_MAX_CPU_ISA = none, AVX512_CORE, AVX2, SSE41, at 1 thread and at all): " +
                   "compute in float64 on this machine, or use another LibTorch";
        var atIsa = trials.Where(t => t.Setting.Isa == best.Setting.Isa && t.AllRight).Select(t => t.Setting.Threads).ToList();
        string isaPart = best.Setting.Isa is null ? "no ISA cap (LibTorch's default)" : $"{TorchSetting.IsaVariable}={best.Setting.Isa}";
        string threads = atIsa.Count == 2 ? "right at 1 thread and at all threads"
            : atIsa[0] == 0 ? "right at all threads only: do not pin LibTorch to 1 thread"
            : "right at 1 thread only: torch.set_num_threads(1), as CnnParity's checks pin it";
        return $"recommended setting: {isaPart} ({threads})";
    }
}
