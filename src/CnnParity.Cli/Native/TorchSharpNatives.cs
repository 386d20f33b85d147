using System.Runtime.InteropServices;
using System.Security.Cryptography;
using CnnParity.Build;
using CnnParity.Core;
using CnnParity.Core.Data;
using CnnParity.Core.IO;

namespace CnnParity.Cli.Native;

/// <summary>
/// The run-time half of the Debian 12 fix (the build-time half, for bin/ folders, is build/TorchSharpNatives.targets).
/// An installed tool carries libLibTorchSharp.so exactly as TorchSharp ships it, asking for GLIBCXX_3.4.32, and
/// Debian 12's libstdc++ stops at 3.4.30. Where the libstdc++ this process runs on lacks a version the library asks
/// for, this writes a copy with those needs marked weak (build/ElfVersionNeeds.cs checks first that nothing relocates
/// against them) into the per-user cache, named by its content hash, and loads it before TorchSharp probes.
/// Nothing is written beside the tool or into the NuGet cache.
/// </summary>
internal static class TorchSharpNatives
{
    const string LibraryFile = "libLibTorchSharp.so", DllImportName = "LibTorchSharp", LibStdCxx = "libstdc++.so.6";

    static readonly Lock Gate = new();
    static bool _prepared;

    /// <summary>
    /// Call before the first use of TorchSharp; later calls do nothing. Nothing happens off Linux, where libstdc++ has
    /// every version asked for, or where the build already patched the copy beside the program. Says in one line on
    /// <paramref name="log"/> when it makes the patched copy (the first run); a run that reuses it says nothing.
    /// </summary>
    public static void EnsureLoadable(TextWriter log)
    {
        lock (Gate)
        {
            if (_prepared) return;
            _prepared = true;
            if (OperatingSystem.IsLinux())
                LoadPatchedCopyIfNeeded(log);
        }
    }

    static void LoadPatchedCopyIfNeeded(TextWriter log)
    {
        string? shipped = ShippedLibrary();
        string? libStdCxx = LoadedLibStdCxx() ?? ElfVersionNeeds.FindSystemLibStdCxx();
        if (shipped is null || libStdCxx is null)
            return; // TorchSharp reports a missing library better than we could
        byte[] elf = File.ReadAllBytes(shipped);
        List<VersionNeed> weakened;
        try
        {
            weakened = ElfVersionNeeds.WeakenMissing(elf, LibStdCxx, ElfVersionNeeds.DefinedVersions(File.ReadAllBytes(libStdCxx)));
        }
        catch (Exception e) when (e is InvalidOperationException or InvalidDataException)
        {
            throw new CnnParityException($"TorchSharp's {shipped} cannot load with {libStdCxx}: {e.Message}");
        }
        if (weakened.Count == 0)
            return;

        string copy = Path.Combine(DataLocator.ForCurrentProcess().UserCacheRoot(), "native", ContentHash(elf), LibraryFile);
        bool made = !HasContent(copy, elf);
        if (made)
            AtomicFile.WriteAllBytes(copy, elf);
        Load(shipped, copy, elf);
        if (made)
            log.WriteLine($"cnnparity: {libStdCxx} lacks {string.Join(", ", weakened.Select(n => n.Version))}, which TorchSharp's " +
                $"{LibraryFile} asks for; made a copy that marks it weak, loaded from now on: {copy}");
    }

    /// <summary>
    /// The copy's dependencies (libtorch.so, libc10.so, libtorch_cpu.so) stay beside the shipped library, where its
    /// $ORIGIN run path cannot reach from the cache: load them first, by full path, and the loader binds the copy to
    /// them by soname. TorchSharp's own probe by name then finds the copy by its soname too, and its P/Invokes are
    /// routed to the copy without probing at all.
    /// </summary>
    static void Load(string shipped, string copy, byte[] elf)
    {
        string folder = Path.GetDirectoryName(shipped)!;
        try
        {
            foreach (string dependency in ElfVersionNeeds.Needed(elf).Select(n => Path.Combine(folder, n)).Where(File.Exists))
                NativeLibrary.Load(dependency);
            IntPtr handle = NativeLibrary.Load(copy);
            NativeLibrary.SetDllImportResolver(typeof(TorchSharp.torch).Assembly,
                (name, _, _) => name == DllImportName ? handle : IntPtr.Zero);
        }
        catch (DllNotFoundException e)
        {
            throw new CnnParityException($"cannot load TorchSharp's natives: {e.Message.ReplaceLineEndings(" ")}");
        }
    }

    /// <summary>The library the runtime would load first: the host's native search folders, then the program's.</summary>
    static string? ShippedLibrary()
    {
        string searched = AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") as string ?? "";
        return searched.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Append(AppContext.BaseDirectory)
            .Select(folder => Path.Combine(folder, LibraryFile))
            .FirstOrDefault(File.Exists);
    }

    /// <summary>The libstdc++ mapped into this process (the .NET runtime itself links it), wherever it came from.</summary>
    static string? LoadedLibStdCxx()
    {
        const string maps = "/proc/self/maps";
        if (!File.Exists(maps))
            return null;
        foreach (string line in File.ReadLines(maps))
        {
            int path = line.IndexOf('/');
            if (path >= 0 && Path.GetFileName(line[path..]).StartsWith(LibStdCxx, StringComparison.Ordinal))
                return line[path..];
        }
        return null;
    }

    static string ContentHash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes))[..16];

    static bool HasContent(string path, byte[] bytes) =>
        File.Exists(path) && new FileInfo(path).Length == bytes.Length && File.ReadAllBytes(path).AsSpan().SequenceEqual(bytes);
}
