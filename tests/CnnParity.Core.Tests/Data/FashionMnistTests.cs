using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>The Debian package's Fashion-MNIST copy, when installed: known digests and the official shapes.</summary>
public sealed class FashionMnistTests
{
    private static string? SystemFolder => DatasetCatalog.FashionMnist.SystemFolder;

    [SkippableFact]
    public void SystemPackageFilesMatchTheCatalogAndParse()
    {
        Skip.IfNot(SystemFolder is not null && Directory.Exists(SystemFolder), "package dataset-fashion-mnist not installed");
        var dataset = DatasetCatalog.FashionMnist;

        Assert.All(DatasetVerifier.Check(dataset, SystemFolder!), check => Assert.Equal("OK", check.Status));
        var train = LabelledImages.Load(SystemFolder!, dataset, DatasetSplit.Train);
        var test = LabelledImages.Load(SystemFolder!, dataset, DatasetSplit.Test);
        Assert.Equal((60000, 28, 28), (train.Count, train.Rows, train.Cols));
        Assert.Equal((10000, 28, 28), (test.Count, test.Rows, test.Cols));
        // Fashion-MNIST is balanced by construction: 6000 and 1000 per class.
        Assert.All(train.ClassCounts(), count => Assert.Equal(6000, count));
        Assert.All(test.ClassCounts(), count => Assert.Equal(1000, count));
    }
}
