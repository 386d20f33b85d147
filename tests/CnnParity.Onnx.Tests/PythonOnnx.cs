using System.Diagnostics;

namespace CnnParity.Onnx.Tests;

/// <summary>
/// ONNX's own checker (Debian's python3-onnx, run by /usr/bin/python3): the test of a well-formed model that does not
/// come from this code base. Tests that need it skip where it is not installed (CI installs it).
/// </summary>
static class PythonOnnx
{
    const string Python = "/usr/bin/python3";

    static readonly Lazy<bool> Installed = new(() => File.Exists(Python) && Run("-c \"import onnx\"").Code == 0);

    public static void SkipUnlessInstalled() =>
        Skip.IfNot(Installed.Value, $"{Python} has no onnx module (apt-get install -y python3-onnx)");

    /// <summary>onnx.checker.check_model with full_check (strict shape inference too) on each file; its output on failure.</summary>
    public static (int Code, string Output) Check(params string[] paths) =>
        Run("-c \"import onnx, sys; [onnx.checker.check_model(onnx.load(p), full_check=True) for p in sys.argv[1:]]\" "
            + string.Join(' ', paths.Select(p => $"\"{p}\"")));

    static (int Code, string Output) Run(string args)
    {
        var start = new ProcessStartInfo(Python, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
