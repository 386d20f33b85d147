using CnnParity.Build;

namespace CnnParity.Torch.Tests;

/// <summary>The ELF logic that makes libLibTorchSharp.so loadable on an older libstdc++ (build/ElfVersionNeeds.cs).</summary>
public class ElfVersionNeedsTests
{
    const string Missing = "GLIBCXX_3.4.32";

    // The library exactly as NuGet ships it: the build patches only copies in bin/.
    static byte[] ShippedLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES")
            ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(packages, "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Skip.IfNot(File.Exists(path), $"TorchSharp's shipped native library not found at {path}");
        return File.ReadAllBytes(path);
    }

    [SkippableFact]
    public void ShippedLibraryNeedsGlibcxx3432ForOneUnrelocatedSymbol()
    {
        var need = Assert.Single(ElfVersionNeeds.Read(ShippedLibrary()), n => n.Version == Missing);
        Assert.Equal("libstdc++.so.6", need.Library);
        Assert.False(need.IsWeak);
        Assert.Equal(new[] { "_ZSt21ios_base_library_initv" }, need.Symbols);
        Assert.Equal(0, need.Relocations);
    }

    [SkippableFact]
    public void WeakeningChangesOnlyTheMissingEntryAndIsIdempotent()
    {
        byte[] original = ShippedLibrary();
        byte[] elf = (byte[])original.Clone();
        var available = new HashSet<string> { "GLIBCXX_3.4", "GLIBCXX_3.4.30", "CXXABI_1.3.13" };
        available.UnionWith(ElfVersionNeeds.Read(elf).Select(n => n.Version).Where(v => v != Missing));

        var changed = Assert.Single(ElfVersionNeeds.WeakenMissing(elf, "libstdc++.so.6", available));
        Assert.Equal(Missing, changed.Version);
        var differing = Enumerable.Range(0, elf.Length).Where(i => elf[i] != original[i]).ToArray();
        Assert.Equal(new[] { (int)changed.FlagsOffset }, differing);
        Assert.True(ElfVersionNeeds.Read(elf).Single(n => n.Version == Missing).IsWeak);
        Assert.Empty(ElfVersionNeeds.WeakenMissing(elf, "libstdc++.so.6", available));
    }

    [SkippableFact]
    public void ShippedLibraryNamesLibTorchAmongItsNeededLibraries()
    {
        // The run-time fix loads these from beside the shipped library before its patched copy (which has no $ORIGIN there).
        var needed = ElfVersionNeeds.Needed(ShippedLibrary());
        Assert.Equal(["libtorch.so", "libc10.so", "libtorch_cpu.so", "libstdc++.so.6"], needed.Take(4));
        Assert.Contains("libc.so.6", needed);
    }

    [SkippableFact]
    public void NothingChangesWhenTheSystemHasTheVersion()
    {
        byte[] elf = ShippedLibrary();
        var everything = ElfVersionNeeds.Read(elf).Select(n => n.Version).ToHashSet();
        byte[] before = (byte[])elf.Clone();
        Assert.Empty(ElfVersionNeeds.WeakenMissing(elf, "libstdc++.so.6", everything));
        Assert.Equal(before, elf);
    }

    [SkippableFact]
    public void BuildOutputIsPatchedExactlyWhenTheSystemLacksTheVersion()
    {
        string? system = ElfVersionNeeds.FindSystemLibStdCxx();
        Skip.If(system is null, "no system libstdc++.so.6");
        bool systemHasIt = ElfVersionNeeds.DefinedVersions(File.ReadAllBytes(system!)).Contains(Missing);
        string copy = Path.Combine(AppContext.BaseDirectory, "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        var need = ElfVersionNeeds.Read(File.ReadAllBytes(copy)).Single(n => n.Version == Missing);
        Assert.Equal(!systemHasIt, need.IsWeak);
    }

    [Fact]
    public void RejectsFilesThatAreNotElf() =>
        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.Read(new byte[100]));
}
