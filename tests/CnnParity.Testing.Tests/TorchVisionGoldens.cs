namespace CnnParity.Testing.Tests;

/// <summary>
/// Goldens written by torchvision 0.14 (Debian's python3-torchvision) with the repository's torch_golden.py, once
/// per test run, in a folder of their own; tests that need them skip when torchvision is not there.
/// </summary>
public sealed class TorchVisionGoldens : IDisposable
{
    readonly string folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cnnparity-torchvision-{Environment.ProcessId}");
    readonly Dictionary<string, string> written = [];
    readonly Lock gate = new();

    /// <summary>Why the goldens cannot be written here, or null.</summary>
    public static string? Missing => PyTorch.MissingModule("torchvision");

    /// <summary>The golden of torchvision.models.<paramref name="model"/>(**kwargs) on 2×3×64×64, 10 classes, written once.</summary>
    public string Path(string model, string kwargs, int steps = 1, bool trainMode = false)
    {
        lock (gate)
        {
            string key = $"{model}-{kwargs}-{steps}-{trainMode}";
            if (written.TryGetValue(key, out var path)) return path;
            Directory.CreateDirectory(folder);
            path = System.IO.Path.Combine(folder, $"{model}-{written.Count}.npz");
            List<string> arguments = [$"torchvision.models:{model}", "--kwargs", kwargs, "--input-shape", "2,3,64,64", "--classes", "10",
                "--steps", steps.ToString(System.Globalization.CultureInfo.InvariantCulture), "--out", path];
            if (trainMode) arguments.Add("--train-mode");
            PyTorch.RunScript(Repository.PathOf("reference", "torch_golden.py"), [.. arguments]);
            return written[key] = path;
        }
    }

    public void Dispose()
    {
        if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }
}
