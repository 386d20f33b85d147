using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using CnnParity.Core.Scratch;

namespace CnnParity.Parity.Speed;

/// <summary>
/// The NumPy reference program (reference/cnn_reference.py) as a speed workload: each call runs one epoch
/// in a fresh Python process and takes the times the program itself measures, so interpreter start-up and
/// data loading are not counted. Available only where Debian's python3-numpy is installed.
/// </summary>
public static partial class NumPyWorkload
{
    const string Python = "/usr/bin/python3";

    public const string BatchedName = "NumPy (batched test)", NotebookName = "NumPy (notebook: per-image test)";

    /// <summary>The reference program is the chapter-10 notebook's: it times ch10 and nothing else.</summary>
    public static bool AppliesTo(CnnParity.Core.Architecture.ArchitectureSpec spec) => spec.IsChapter10;

    /// <summary>The reference program, found by walking up from the working directory and the app's folder.</summary>
    public static string? FindScript()
    {
        foreach (string start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, "reference", "cnn_reference.py");
                if (File.Exists(candidate)) return candidate;
            }
        return null;
    }

    /// <summary>Why NumPy cannot be measured here, or null when it can.</summary>
    public static string? Unavailable()
    {
        if (FindScript() is null) return "reference/cnn_reference.py not found";
        if (!File.Exists(Python)) return $"{Python} not found";
        return Version() is null ? "python3-numpy is not installed (apt-get install -y python3-numpy)" : null;
    }

    /// <summary>numpy.__version__ of /usr/bin/python3, or null when there is no python3 or no numpy.</summary>
    public static string? Version()
    {
        if (!File.Exists(Python)) return null;
        var (code, stdout, _) = Execute(Python, "-c \"import numpy; print(numpy.__version__)\"");
        string version = stdout.Trim();
        return code == 0 && version.Length > 0 ? version : null;
    }

    /// <param name="perImageTest">the notebook's one-image-at-a-time test loop instead of the batched one</param>
    public static EpochWorkload Create(ScratchConfig config, string dataFolder, bool perImageTest)
    {
        string script = FindScript() ?? throw new InvalidOperationException("reference/cnn_reference.py not found");
        string args = string.Join(' ', $"\"{script}\"", "--epochs 1", $"--seed {config.Seed}", $"--kernels {config.NumKernels}",
            $"--grid {config.Grid}", $"--batch {config.BatchSize}", $"--train {config.TrainCount}", $"--test {config.TestCount}",
            $"--data \"{dataFolder}\"", perImageTest ? "--per-image-test" : "");
        string name = perImageTest ? NotebookName : BatchedName;
        return new EpochWorkload(name, () =>
        {
            var (code, _, stderr) = Execute(Python, args);
            var match = EpochTimes().Match(stderr);
            if (code != 0 || !match.Success)
                throw new InvalidOperationException($"the NumPy reference failed (exit {code}): {stderr.Trim().Split('\n').LastOrDefault()}");
            return (double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture), double.Parse(match.Groups[2].Value, CultureInfo.InvariantCulture));
        });
    }

    static (int Code, string Out, string Err) Execute(string file, string args)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }

    [GeneratedRegex(@"epoch 0: train ([0-9.]+) s, test ([0-9.]+) s")]
    private static partial Regex EpochTimes();
}
