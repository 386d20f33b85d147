using CnnParity.Core.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>Real MNIST, found as the CLI finds it; tests that train skip (never pass) without it.</summary>
internal static class RealMnist
{
    static readonly DataFolder Folder = DataLocator.ForCurrentProcess().Resolve(DatasetCatalog.Mnist, null);

    /// <summary>The folder, passed to the CLI as --data so that the child reads exactly what was checked here.</summary>
    public static string Require()
    {
        Skip.IfNot(DatasetCatalog.Mnist.Files.All(f => File.Exists(Path.Combine(Folder.Path, f.FileName))),
            $"MNIST not found in {Folder.Path} ({Folder.Reason})");
        return Folder.Path;
    }

    /// <summary>
    /// A report in well under a minute: 2 epochs on 256 images (2 batches), 200 test images, no speed section.
    /// </summary>
    public static string[] TinyReport(string outDir, params string[] more) => TinyReport(outDir, epochs: 2, test: 200, benchReps: 0, more);

    public static string[] TinyReport(string outDir, int epochs, int test, int benchReps = 0, params string[] more) =>
    [
        "report", "--data", Require(), "--out", outDir, "--quick",
        "--train", "256", "--batch", "128", "--epochs", $"{epochs}", "--test", $"{test}", "--bench-reps", $"{benchReps}", .. more,
    ];
}
