using System.Diagnostics;

namespace CnnParity.Testing.Tests;

/// <summary>Runs a Python program with Debian's PyTorch (/usr/bin/python3); tests that need it skip without it.</summary>
static class PyTorch
{
    const string Python = "/usr/bin/python3";

    static readonly Lazy<string?> Missing = new(() =>
    {
        if (!File.Exists(Python)) return $"{Python} not found";
        var (code, _, error) = Run("import torch", throwOnError: false);
        return code == 0 ? null : $"{Python} has no torch (apt-get install python3-torch): {error.Trim()}";
    });

    /// <summary>Why <paramref name="module"/> cannot be imported (apt-get install python3-NAME), or null when it can.</summary>
    public static string? MissingModule(string module)
    {
        if (Missing.Value is { } why) return why;
        var (code, _, error) = Run($"import {module}", throwOnError: false);
        return code == 0 ? null : $"{Python} has no {module} (apt-get install python3-{module}): {error.Trim().Split('\n')[^1]}";
    }

    /// <summary>Skips the calling test when PyTorch is not there.</summary>
    public static void SkipIfMissing() => Skip.If(Missing.Value is not null, Missing.Value);

    /// <summary>Runs <paramref name="program"/> and returns its standard output.</summary>
    public static string Run(string program) => Run(program, throwOnError: true).Output;

    /// <summary>Runs a Python file with arguments and returns its standard output.</summary>
    public static string RunScript(string script, params string[] arguments) => Run("", throwOnError: true, [script, .. arguments]).Output;

    static (int Code, string Output, string Error) Run(string program, bool throwOnError, string[]? arguments = null)
    {
        var start = new ProcessStartInfo(Python) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments ?? ["-"]) start.ArgumentList.Add(a);
        using var process = Process.Start(start)!;
        process.StandardInput.Write(program);
        process.StandardInput.Close();
        var error = process.StandardError.ReadToEndAsync();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (throwOnError && process.ExitCode != 0)
            throw new InvalidOperationException($"python exited {process.ExitCode}: {error.Result}");
        return (process.ExitCode, output, error.Result);
    }
}
