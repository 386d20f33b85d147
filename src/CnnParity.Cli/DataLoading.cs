using CnnParity.Core;
using CnnParity.Core.Data;
using CnnParity.Core.Scratch;

namespace CnnParity.Cli;

/// <summary>Finds and reads the dataset a command asked for, checking the counts it needs.</summary>
public static class DataLoading
{
    public static (ScratchData Data, DataFolder Folder) Load(string dataset, string? dataOption, int trainCount, int testCount)
    {
        var info = DatasetCatalog.Find(dataset);
        var folder = DataLocator.ForCurrentProcess().RequireExisting(info, dataOption);
        var train = LabelledImages.Load(folder.Path, info, DatasetSplit.Train);
        var test = LabelledImages.Load(folder.Path, info, DatasetSplit.Test);
        if (trainCount > train.Count)
            throw new CnnParityException($"--train {trainCount} is more than the {train.Count} training images in {folder.Path}");
        if (testCount > test.Count)
            throw new CnnParityException($"--test {testCount} is more than the {test.Count} test images in {folder.Path}");
        return (ScratchData.From(train, test, trainCount, testCount), folder);
    }
}
