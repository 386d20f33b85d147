namespace CnnParity.Parity.Tests;

/// <summary>The checkout the tests run from: the folder holding CnnParity.sln above the test binary.</summary>
static class Repository
{
    static readonly Lazy<string> RootFolder = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "CnnParity.sln")))
                return dir.FullName;
        throw new InvalidOperationException($"no CnnParity.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => RootFolder.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);
}
