using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

public sealed class DatasetCatalogTests
{
    [Theory]
    [InlineData("mnist")]
    [InlineData("fashion-mnist")]
    public void EachDatasetHasFourFilesWithDigestsAndMirrors(string name)
    {
        var dataset = DatasetCatalog.Find(name);

        Assert.Equal(
            ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"],
            dataset.Files.Select(f => f.FileName));
        Assert.All(dataset.Files.SelectMany(f => f.Digests), d => Assert.Matches("^[0-9a-f]{64}$", d.Sha256));
        Assert.All(dataset.Mirrors, m => Assert.EndsWith("/", m.AbsoluteUri));
        Assert.NotEmpty(dataset.Mirrors);
    }

    [Fact]
    public void UnknownDatasetNamesTheKnownOnes()
    {
        var error = Assert.Throws<CnnParityException>(() => DatasetCatalog.Find("cifar10"));

        Assert.Equal("unknown dataset 'cifar10': known datasets are mnist, fashion-mnist", error.Message);
        Assert.Equal(2, error.ExitCode);
    }

    [Fact]
    public void DigestsMatchIgnoringCase()
    {
        var file = DatasetCatalog.Mnist.File(DatasetSplit.Test, IdxContent.Labels);

        Assert.NotNull(file.Match("F7AE60F92E00EC6DEBD23A6088C31DBD2371ECA3FFA0DEFAEFB259924204AEC6"));
        Assert.Null(file.Match(new string('0', 64)));
    }
}
