namespace CnnParity.Core.Data;

/// <summary>
/// Finds the folder of a dataset. Rules, first match wins:
/// <c>--data DIR</c>; <c>$CNNPARITY_DATA</c> (same meaning as --data: the folder holding the four files);
/// for mnist <c>A/shared/data/mnist</c> for an ancestor A of the current directory or of the program
/// (the checkout sits beside <c>shared/</c>), unless <c>$CNNPARITY_NO_SHARED_DATA</c> is set; the system package
/// folder (fashion-mnist); the per-user cache, where <c>cnnparity data fetch</c> (and the first run of a command that
/// finds no data anywhere) downloads to.
/// </summary>
public sealed class DataLocator
{
    public const string EnvironmentVariable = "CNNPARITY_DATA";

    /// <summary>
    /// Set (to anything but "0"): skip the shared folder beside the checkout, so the lookup behaves as on a machine
    /// without one (a fresh clone; the tests of the first-run download, which must not find the real data).
    /// </summary>
    public const string NoSharedDataVariable = "CNNPARITY_NO_SHARED_DATA";

    private readonly Func<string, string?> _environment;
    private readonly IReadOnlyList<string> _searchStarts;
    private readonly bool _isWindows;

    /// <param name="environment">Reads an environment variable (injected so tests need not touch the process).</param>
    /// <param name="searchStarts">Folders whose ancestors are searched for the shared checkout folder.</param>
    public DataLocator(Func<string, string?> environment, IReadOnlyList<string> searchStarts, bool isWindows)
    {
        _environment = environment;
        _searchStarts = searchStarts;
        _isWindows = isWindows;
    }

    public static DataLocator ForCurrentProcess() =>
        new(Environment.GetEnvironmentVariable, [Environment.CurrentDirectory, AppContext.BaseDirectory], OperatingSystem.IsWindows());

    /// <summary>The folder to read <paramref name="dataset"/> from; it may not exist (see <see cref="RequireExisting"/>).</summary>
    public DataFolder Resolve(DatasetInfo dataset, string? dataOption) =>
        Explicit(dataOption) ?? SharedCheckout(dataset) ?? SystemPackage(dataset) ?? new(UserCache(dataset), DataFolderRule.UserCache);

    /// <summary>Where <c>data fetch</c> writes: an explicit folder, else the per-user cache (never a shared or system folder).</summary>
    public DataFolder ResolveDownloadTarget(DatasetInfo dataset, string? dataOption) =>
        Explicit(dataOption) ?? new(UserCache(dataset), DataFolderRule.UserCache);

    /// <summary>Whether <paramref name="folder"/> holds every file of <paramref name="dataset"/> (present, not yet verified).</summary>
    public static bool HasAllFiles(DatasetInfo dataset, string folder) =>
        dataset.Files.All(f => File.Exists(Path.Combine(folder, f.FileName)));

    /// <summary>Like <see cref="Resolve"/>, but a folder that does not exist is a one-line error suggesting a fetch.</summary>
    public DataFolder RequireExisting(DatasetInfo dataset, string? dataOption)
    {
        var folder = Resolve(dataset, dataOption);
        if (Directory.Exists(folder.Path))
            return folder;
        string fetch = folder.Rule is DataFolderRule.DataOption or DataFolderRule.EnvironmentVariable
            ? $"cnnparity data fetch --dataset {dataset.Name} --data {folder.Path}"
            : $"cnnparity data fetch --dataset {dataset.Name}";
        throw new CnnParityException(
            $"no {dataset.Name} data: folder {folder.Path} (chosen by {folder.Reason}) does not exist; run `{fetch}` or pass --data DIR");
    }

    /// <summary><c>$XDG_CACHE_HOME/cnnparity/&lt;dataset&gt;</c>, <c>~/.cache/...</c>, or LocalApplicationData on Windows.</summary>
    public string UserCache(DatasetInfo dataset) => Path.Combine(UserCacheRoot(), dataset.Name);

    /// <summary>
    /// The per-user cache folder of CnnParity: <c>$XDG_CACHE_HOME/cnnparity</c>, <c>~/.cache/cnnparity</c>, or
    /// LocalApplicationData on Windows. Datasets live in it, and the CLI's patched native library (<c>native/</c>).
    /// </summary>
    public string UserCacheRoot()
    {
        string root;
        if (_isWindows)
            root = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        else if (_environment("XDG_CACHE_HOME") is { Length: > 0 } xdg && Path.IsPathRooted(xdg))
            root = xdg; // the XDG spec says to ignore a relative value
        else
            root = Path.Combine(Home(), ".cache");
        return Path.Combine(root, "cnnparity");
    }

    private DataFolder? Explicit(string? dataOption)
    {
        if (!string.IsNullOrWhiteSpace(dataOption))
            return new(Path.GetFullPath(dataOption), DataFolderRule.DataOption);
        if (_environment(EnvironmentVariable) is { } env && !string.IsNullOrWhiteSpace(env))
            return new(Path.GetFullPath(env), DataFolderRule.EnvironmentVariable);
        return null;
    }

    private DataFolder? SharedCheckout(DatasetInfo dataset)
    {
        if (dataset.CheckoutFolder is not { } relative || _environment(NoSharedDataVariable) is { Length: > 0 } and not "0")
            return null;
        foreach (string start in _searchStarts)
        {
            for (var dir = new DirectoryInfo(Path.GetFullPath(start)); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative.Replace('/', Path.DirectorySeparatorChar));
                if (Directory.Exists(candidate))
                    return new(candidate, DataFolderRule.SharedCheckout);
            }
        }
        return null;
    }

    private DataFolder? SystemPackage(DatasetInfo dataset) =>
        !_isWindows && dataset.SystemFolder is { } folder && Directory.Exists(folder)
            ? new(folder, DataFolderRule.SystemPackage)
            : null;

    private string Home() =>
        _environment("HOME") is { Length: > 0 } home ? home : Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
