using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>
/// The lookup order, on a fake tree: root/ci/src/bin is the program, root/shared/data/mnist the data,
/// the way a checkout at /tmp/ci sits beside /tmp/shared.
/// </summary>
public sealed class DataLocatorTests : IDisposable
{
    private readonly TempFolder _root = new();
    private readonly Dictionary<string, string> _environment = [];
    private readonly string _program, _shared, _elsewhere;

    public DataLocatorTests()
    {
        _program = Directory.CreateDirectory(Path.Combine(_root.Path, "ci", "src", "bin")).FullName;
        _shared = Directory.CreateDirectory(Path.Combine(_root.Path, "shared", "data", "mnist")).FullName;
        _elsewhere = Directory.CreateDirectory(Path.Combine(_root.Path, "elsewhere")).FullName;
        _environment["HOME"] = Path.Combine(_root.Path, "home");
    }

    public void Dispose() => _root.Dispose();

    private DataLocator Locator(params string[] starts) =>
        new(name => _environment.GetValueOrDefault(name), starts, isWindows: false);

    [Fact]
    public void DataOptionComesFirst()
    {
        _environment[DataLocator.EnvironmentVariable] = "/from/env";

        var folder = Locator(_program).Resolve(DatasetCatalog.Mnist, _elsewhere);

        Assert.Equal(new DataFolder(_elsewhere, DataFolderRule.DataOption), folder);
    }

    [Fact]
    public void EnvironmentVariableBeatsTheSharedFolder()
    {
        _environment[DataLocator.EnvironmentVariable] = _elsewhere;

        Assert.Equal(new DataFolder(_elsewhere, DataFolderRule.EnvironmentVariable), Locator(_program).Resolve(DatasetCatalog.Mnist, null));
    }

    [Fact]
    public void SharedFolderIsFoundFromAnyStart()
    {
        // Not under the temp folder: a CI checkout at /tmp/ci may well have a real /tmp/shared beside it.
        string unrelated = Path.GetFullPath("/cnnparity-no-such-folder/start");

        Assert.Equal(new DataFolder(_shared, DataFolderRule.SharedCheckout), Locator(_program).Resolve(DatasetCatalog.Mnist, null));
        Assert.Equal(new DataFolder(_shared, DataFolderRule.SharedCheckout), Locator(_elsewhere, _program).Resolve(DatasetCatalog.Mnist, null));
        Assert.Equal(DataFolderRule.UserCache, Locator(unrelated).Resolve(DatasetCatalog.Mnist, null).Rule);
    }

    [Theory]
    [InlineData("1", DataFolderRule.UserCache)]
    [InlineData("yes", DataFolderRule.UserCache)]
    [InlineData("0", DataFolderRule.SharedCheckout)]
    [InlineData("", DataFolderRule.SharedCheckout)]
    public void TheSharedFolderCanBeSkippedAsOnAFreshMachine(string value, DataFolderRule expected)
    {
        _environment[DataLocator.NoSharedDataVariable] = value;

        Assert.Equal(expected, Locator(_program).Resolve(DatasetCatalog.Mnist, null).Rule);
    }

    [Fact]
    public void AllFilesPresentMeansAllFour()
    {
        Assert.False(DataLocator.HasAllFiles(DatasetCatalog.Mnist, _shared));
        foreach (var file in DatasetCatalog.Mnist.Files.Skip(1))
            File.WriteAllBytes(Path.Combine(_shared, file.FileName), [1]);
        Assert.False(DataLocator.HasAllFiles(DatasetCatalog.Mnist, _shared));
        File.WriteAllBytes(Path.Combine(_shared, DatasetCatalog.Mnist.Files[0].FileName), [1]);
        Assert.True(DataLocator.HasAllFiles(DatasetCatalog.Mnist, _shared));
    }

    [Fact]
    public void MirrorsFromTheEnvironmentAreSplitOnSpacesAndCommas()
    {
        _environment[MirrorList.EnvironmentVariable] = " http://a.example/m,https://b.example/n/  http://c.example ";

        var mirrors = MirrorList.FromEnvironment(name => _environment.GetValueOrDefault(name));

        Assert.Equal(["http://a.example/m/", "https://b.example/n/", "http://c.example/"], mirrors!.Select(m => m.ToString()));
        Assert.Null(MirrorList.FromEnvironment(_ => null));
        Assert.Null(MirrorList.FromEnvironment(_ => "  "));
        var bad = Assert.Throws<CnnParityException>(() => MirrorList.FromEnvironment(_ => "http://ok.example file:///etc"));
        Assert.Equal("$CNNPARITY_MIRRORS 'file:///etc' is not an absolute http or https URL", bad.Message);
    }

    [Fact]
    public void SystemPackageFolderServesFashionMnist()
    {
        var dataset = DatasetCatalog.FashionMnist with { SystemFolder = _elsewhere };

        Assert.Equal(new DataFolder(_elsewhere, DataFolderRule.SystemPackage), Locator(_program).Resolve(dataset, null));
    }

    [Fact]
    public void UserCacheFollowsXdgAndIgnoresARelativeValue()
    {
        var locator = Locator(_elsewhere);
        string home = _environment["HOME"];

        Assert.Equal(Path.Combine(home, ".cache", "cnnparity", "mnist"), locator.UserCache(DatasetCatalog.Mnist));
        _environment["XDG_CACHE_HOME"] = "relative/cache";
        Assert.Equal(Path.Combine(home, ".cache", "cnnparity", "mnist"), locator.UserCache(DatasetCatalog.Mnist));
        _environment["XDG_CACHE_HOME"] = _elsewhere;
        Assert.Equal(Path.Combine(_elsewhere, "cnnparity", "fashion-mnist"), locator.UserCache(DatasetCatalog.FashionMnist));
    }

    [Fact]
    public void DownloadsGoToTheCacheNotTheSharedFolder()
    {
        var target = Locator(_program).ResolveDownloadTarget(DatasetCatalog.Mnist, null);

        Assert.Equal(DataFolderRule.UserCache, target.Rule);
        Assert.Equal(Path.Combine(_environment["HOME"], ".cache", "cnnparity", "mnist"), target.Path);
    }

    [Fact]
    public void MissingFolderSuggestsAFetch()
    {
        string missing = Path.Combine(_root.Path, "missing");

        var error = Assert.Throws<CnnParityException>(() => Locator(_program).RequireExisting(DatasetCatalog.Mnist, missing));

        Assert.Equal(
            $"no mnist data: folder {missing} (chosen by --data) does not exist; run `cnnparity data fetch --dataset mnist --data {missing}` or pass --data DIR",
            error.Message);
    }
}
