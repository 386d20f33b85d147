using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

/// <summary>
/// The official files, found the way the CLI finds them, against the known values in
/// shared/data/mnist/README.md. Skipped (never passed) when the files are not on this machine.
/// </summary>
public sealed class RealMnistTests
{
    private static readonly DataFolder Folder = DataLocator.ForCurrentProcess().Resolve(DatasetCatalog.Mnist, null);

    private static void SkipUnlessPresent() =>
        Skip.IfNot(DatasetCatalog.Mnist.Files.All(f => File.Exists(Path.Combine(Folder.Path, f.FileName))),
            $"MNIST files not found in {Folder.Path} ({Folder.Reason})");

    [SkippableFact]
    public void FilesMatchTheCatalogChecksums()
    {
        SkipUnlessPresent();
        var checks = DatasetVerifier.Check(DatasetCatalog.Mnist, Folder.Path);
        Assert.All(checks, check => Assert.Equal("OK", check.Status));
    }

    [SkippableFact]
    public void TrainingSplitHasTheKnownLabelsAndCounts()
    {
        SkipUnlessPresent();
        var train = LabelledImages.Load(Folder.Path, DatasetCatalog.Mnist, DatasetSplit.Train);

        Assert.Equal((60000, 28, 28), (train.Count, train.Rows, train.Cols));
        Assert.Equal([5, 0, 4, 1, 9, 2, 1, 3, 1, 4, 3, 5], train.Labels[..12]);
        Assert.Equal([5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949], train.ClassCounts());
        Assert.Contains(train.Pixels, p => p == 255); // not normalised on disk
    }

    [SkippableFact]
    public void TestSplitHasTheKnownLabelsAndCounts()
    {
        SkipUnlessPresent();
        var test = LabelledImages.Load(Folder.Path, DatasetCatalog.Mnist, DatasetSplit.Test);

        Assert.Equal((10000, 28, 28), (test.Count, test.Rows, test.Cols));
        Assert.Equal([7, 2, 1, 0, 4, 1, 4, 9, 5, 9, 0, 6], test.Labels[..12]);
        Assert.Equal([980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009], test.ClassCounts());
    }

    [SkippableFact]
    public void FirstThousandTrainingImagesAreAPrefix()
    {
        SkipUnlessPresent();
        var train = LabelledImages.Load(Folder.Path, DatasetCatalog.Mnist, DatasetSplit.Train);
        var first = train.Take(1000);

        Assert.Equal(1000, first.Count);
        Assert.Equal(train.Pixels.AsSpan(0, 1000 * 784).ToArray(), first.Pixels);
        Assert.Equal(5, first.Labels[0]);
    }
}
