using CnnParity.Build;
using CnnParity.Cli.Native;
using CnnParity.Core.Tests.Data;

namespace CnnParity.Cli.Tests.Cli;

/// <summary>
/// The run-time half of the Debian 12 fix (src/CnnParity.Cli/Native/TorchSharpNatives.cs), on a copy of the CLI laid
/// out as an installed tool is: libLibTorchSharp.so exactly as TorchSharp ships it, not the build's patched copy.
/// Runs only where the system's libstdc++ lacks the version that library asks for; elsewhere nothing needs fixing.
/// </summary>
public sealed class InstalledNativesTests : IDisposable
{
    const string Missing = "GLIBCXX_3.4.32", Library = "libLibTorchSharp.so";
    static readonly string NativeFolder = Path.Combine("runtimes", "linux-x64", "native");

    readonly TempFolder work = new();

    public void Dispose() => work.Dispose();

    [SkippableFact]
    public void TorchSharpLoadsFromAPatchedCopyInTheUserCacheMadeOnce()
    {
        string data = RealMnist.Require();
        string shipped = ShippedLibrary();
        string? system = ElfVersionNeeds.FindSystemLibStdCxx();
        Skip.If(system is null || ElfVersionNeeds.DefinedVersions(File.ReadAllBytes(system)).Contains(Missing),
            $"this system's libstdc++ has {Missing}: nothing to fix at run time");
        string tool = InstalledCopy(shipped);
        string toolLibrary = Path.Combine(tool, NativeFolder, Library);
        // The copy is the one that does not load here on its own.
        Assert.False(ElfVersionNeeds.Read(File.ReadAllBytes(toolLibrary)).Single(n => n.Version == Missing).IsWeak);
        string cache = Path.Combine(work.Path, "cache");
        // As on a machine where LibTorch warns about NNPACK at every float64 convolution (issue 20): the assertions on
        // stderr below are about CnnParity's own lines, whatever LibTorch prints beside them.
        var environment = new Dictionary<string, string?> { ["XDG_CACHE_HOME"] = cache, [NativeStderr.TestNoiseVariable] = "7" };
        string[] train = ["train", "--data", data, "--impl", "twin", "--train", "256", "--batch", "128", "--epochs", "1", "--test", "100"];
        string dll = Path.Combine(tool, "cnnparity.dll");

        var first = CliProcess.RunCopy(dll, work.Path, environment, train);

        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.StartsWith("I: 0 | Loss: ", Assert.Single(first.OutputLines)); // the twin's corrected rule has a loss
        string patched = Assert.Single(Directory.GetFiles(cache, "*", SearchOption.AllDirectories));
        Assert.Equal(Path.Combine(cache, "cnnparity", "native"), Path.GetDirectoryName(Path.GetDirectoryName(patched)));
        Assert.Equal(Library, Path.GetFileName(patched));
        Assert.True(ElfVersionNeeds.Read(File.ReadAllBytes(patched)).Single(n => n.Version == Missing).IsWeak);
        Assert.Single(first.AllErrorLines, l => l.Contains("Could not initialize NNPACK!", StringComparison.Ordinal) && !l.StartsWith("cnnparity:", StringComparison.Ordinal));
        // Besides train's progress lines (one per epoch on a stderr that is not a terminal), one line says what was done.
        string said = Assert.Single(first.ErrorLines, l => !IsProgress(l));
        Assert.StartsWith("cnnparity: ", said);
        Assert.Contains(Missing, said);
        Assert.EndsWith(patched, said);
        // Nothing beside the program changed, and TorchSharp never fell back to copying natives into cpu/ there.
        Assert.Equal(File.ReadAllBytes(shipped), File.ReadAllBytes(toolLibrary));
        Assert.False(Directory.Exists(Path.Combine(tool, "cpu")));
        var made = File.GetLastWriteTimeUtc(patched);

        var second = CliProcess.RunCopy(dll, work.Path, environment, train);

        Assert.True(second.ExitCode == 0, second.ToString());
        Assert.Equal(first.OutputLines, second.OutputLines);
        Assert.DoesNotContain(second.ErrorLines, l => !IsProgress(l));
        Assert.Equal([patched], Directory.GetFiles(cache, "*", SearchOption.AllDirectories));
        Assert.Equal(made, File.GetLastWriteTimeUtc(patched)); // reused, not written again
    }

    static bool IsProgress(string line) => line.StartsWith("training ", StringComparison.Ordinal) || line.StartsWith("  training ", StringComparison.Ordinal);

    /// <summary>The library as TorchSharp's package ships it (the build patches only the copies under bin/).</summary>
    static string ShippedLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(packages, "torchsharp", TorchSharpPackageVersion(), NativeFolder, Library);
        Skip.IfNot(File.Exists(path), $"TorchSharp's shipped native library not found at {path}");
        return path;
    }

    static string TorchSharpPackageVersion() => typeof(TorchSharp.torch).Assembly.GetName().Version!.ToString(3);

    /// <summary>
    /// The CLI's build output copied into a folder of its own, with TorchSharp's library as shipped. The rest of
    /// runtimes/ (LibTorch's 500 MB among it) is linked, not copied; the program and its manifests are copied, so that
    /// the host takes this folder as the application's.
    /// </summary>
    string InstalledCopy(string shipped)
    {
        string bin = Path.GetDirectoryName(CliProcess.Dll)!, tool = Path.Combine(work.Path, "tool");
        foreach (string file in Directory.EnumerateFiles(bin, "*", SearchOption.AllDirectories))
        {
            string relative = Path.GetRelativePath(bin, file);
            if (relative.StartsWith("cpu" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                continue;
            string target = Path.Combine(tool, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            if (relative == Path.Combine(NativeFolder, Library))
                File.Copy(shipped, target);
            else if (relative.StartsWith("runtimes" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
                File.CreateSymbolicLink(target, file);
            else
                File.Copy(file, target);
        }
        return tool;
    }
}
