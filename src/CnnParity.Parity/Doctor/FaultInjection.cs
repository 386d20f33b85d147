using System.Runtime.InteropServices;

namespace CnnParity.Parity.Doctor;

/// <summary>
/// TEST-ONLY faults, so that the doctor and the runs that survive a crashing backend can be tested on a machine whose
/// LibTorch is right. Read from <see cref="Variable"/>, which only the tests set; absent (always, outside the tests)
/// nothing here does anything. Its value is one or more <c>KIND:WHERE</c> separated by <c>;</c>:
/// <list type="bullet">
/// <item>KIND <c>sigfpe</c>, <c>sigsegv</c>: the process dies on that signal (its default action, as when LibTorch's kernel
/// traps); <c>abort</c>: libc's abort() (SIGABRT); <c>perturb</c>: the first element LibTorch returns is moved by
/// (|v| + 1)·10⁻², far past any rounding; any KIND may end in <c>-unless-ISA</c> (<c>sigfpe-unless-SSE41</c>): no fault
/// when DNNL_MAX_CPU_ISA is ISA, as issue 20's crash spares SSE41;</item>
/// <item>WHERE: the start of a case id (<c>conv2d f32 weight-grad</c>): the fault strikes in place of (or right after)
/// LibTorch's call for every case whose id starts so; or <c>phase=TEXT</c>: a command's crash as it enters a phase whose
/// name starts with TEXT (the runs' last-resort supervision).</item>
/// </list>
/// </summary>
public static class FaultInjection
{
    /// <summary>The test-only environment variable.</summary>
    public const string Variable = "CNNPARITY_TEST_FAULT";

    const string PhasePrefix = "phase=";

    const string Unless = "-unless-";

    static readonly IReadOnlyList<(string Kind, string Where)> Faults = Read(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Dies here if a crash is set for this case (before LibTorch is called, as a kernel that traps would).</summary>
    public static void BeforeCase(DoctorCase c) => CrashIf(Faults.Where(f => !f.Where.StartsWith(PhasePrefix, StringComparison.Ordinal) && c.Id.StartsWith(f.Where, StringComparison.Ordinal)));

    /// <summary>Dies here if a crash is set for the phase a command enters.</summary>
    public static void EnteringPhase(string phase) => CrashIf(Faults.Where(f =>
        f.Where.StartsWith(PhasePrefix, StringComparison.Ordinal) && phase.StartsWith(f.Where[PhasePrefix.Length..], StringComparison.Ordinal)));

    /// <summary>LibTorch's tensors, with the first element moved if a perturbation is set for this case.</summary>
    public static IReadOnlyList<(string Name, double[] Values)> AfterCase(DoctorCase c, IReadOnlyList<(string Name, double[] Values)> torch)
    {
        if (!Faults.Any(f => f.Kind == "perturb" && c.Id.StartsWith(f.Where, StringComparison.Ordinal)) || torch.Count == 0 || torch[0].Values.Length == 0)
            return torch;
        double[] moved = [.. torch[0].Values];
        moved[0] += (Math.Abs(moved[0]) + 1) * 1e-2;
        return [(torch[0].Name, moved), .. torch.Skip(1)];
    }

    static void CrashIf(IEnumerable<(string Kind, string Where)> faults)
    {
        foreach (var (kind, _) in faults)
        {
            Console.Out.Flush();
            switch (kind)
            {
                case "sigfpe":
                    Die(8);
                    break;
                case "sigsegv":
                    Die(11);
                    break;
                case "abort":
                    abort();
                    break;
            }
        }
    }

    // The runtime's own handler passes a signal raised outside a fault on; restoring the default first makes it fatal.
    static void Die(int signal)
    {
        _ = signal_(signal, 0);
        _ = raise(signal);
    }

    // The faults that strike in this process: "KIND-unless-ISA" ones only where DNNL_MAX_CPU_ISA is not ISA.
    static List<(string Kind, string Where)> Read(string? value)
    {
        var faults = new List<(string Kind, string Where)>();
        string isa = Environment.GetEnvironmentVariable(TorchSetting.IsaVariable) ?? "";
        foreach (string[] pair in (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries).Select(f => f.Split(':', 2)).Where(p => p.Length == 2))
        {
            string kind = pair[0].Trim();
            int unless = kind.IndexOf(Unless, StringComparison.Ordinal);
            if (unless >= 0 && string.Equals(kind[(unless + Unless.Length)..], isa, StringComparison.OrdinalIgnoreCase))
                continue;
            faults.Add((unless >= 0 ? kind[..unless] : kind, pair[1]));
        }
        return faults;
    }

    [DllImport("libc", EntryPoint = "signal")]
    private static extern nint signal_(int signal, nint handler);

    [DllImport("libc")]
    private static extern int raise(int signal);

    [DllImport("libc")]
    private static extern void abort();
}
