using System.Reflection;
using System.Runtime.InteropServices;
using CnnParity.Reports.Model;
using CnnParity.Torch;
using CnnParity.Torch.Native;

namespace CnnParity.Reports.Pipeline;

/// <summary>Reads the facts about this machine and its libraries that the report's environment section states.</summary>
public static class ReportEnvironmentProbe
{
    public static ReportEnvironment Read(int threads, string? numPyVersion) => new(
        Cpu(), Environment.ProcessorCount, threads, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
        CnnParityVersion, TorchRuntime.TorchSharpVersion, TorchRuntime.LibTorchVersion, MlNetVersion, numPyVersion,
        [.. LibTorchWarnings.Seen.Select(w => LibTorchWarnings.Describe(w.Line, w.Count))]);

    /// <summary>ML.NET's package version (its assembly version is pinned at 1.0.0).</summary>
    public static string MlNetVersion => PackageVersion(typeof(Microsoft.ML.MLContext).Assembly);

    /// <summary>
    /// This build's version, as `cnnparity --version` prints it: the SemVer that MinVer derives from git tags, with the
    /// commit id as build metadata (every CnnParity assembly carries the same one).
    /// </summary>
    public static string CnnParityVersion => Informational(typeof(ReportEnvironmentProbe).Assembly) ?? "unknown";

    // ML.NET's assembly version is pinned at 1.0.0; the package version is in the informational version.
    static string PackageVersion(Assembly assembly) =>
        Informational(assembly)?.Split('+')[0] ?? assembly.GetName().Version?.ToString(3) ?? "unknown";

    static string? Informational(Assembly assembly) =>
        assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;

    static string Cpu()
    {
        const string cpuinfo = "/proc/cpuinfo";
        if (File.Exists(cpuinfo))
            foreach (string line in File.ReadLines(cpuinfo))
                if (line.StartsWith("model name", StringComparison.Ordinal))
                    return line[(line.IndexOf(':') + 1)..].Trim();
        return RuntimeInformation.ProcessArchitecture.ToString();
    }
}
