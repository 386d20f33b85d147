using CnnParity.Parity.Doctor;

namespace CnnParity.Cli.Supervision;

/// <summary>
/// A command whose TorchSharp side may crash natively, as <see cref="BackendGuard"/> runs it.
/// </summary>
/// <param name="Arch">the spec's text for the hint (`cnnparity doctor --arch ARCH --isa`)</param>
/// <param name="Probe">LibTorch's ops, shapes, dtypes and batch sizes the run will use (<see cref="BackendProbe"/>); empty: no pre-flight</param>
/// <param name="Work">the command itself (runs in the supervised child)</param>
/// <param name="Failure">writes the run's report with the crash as its FAIL section, says so, and returns the exit code (1)</param>
internal sealed record BackendRun(string Arch, IReadOnlyList<DoctorCase> Probe, Func<int> Work, Func<BackendCrash, int> Failure);
