using CnnParity.Core;
using CnnParity.Core.Data;
using CnnParity.Core.Scratch;

namespace CnnParity.Cli;

/// <summary>
/// Finds and reads the dataset a command asked for, checking the counts it needs. When no data is found anywhere
/// (no --data, no $CNNPARITY_DATA, no shared or system folder, an empty per-user cache), the first run fetches it
/// into the per-user cache, as torchvision does on first use; offline, that is one line naming the two ways out.
/// </summary>
public static class DataLoading
{
    public static (ScratchData Data, DataFolder Folder) Load(string dataset, string? dataOption, int trainCount, int testCount)
    {
        var info = DatasetCatalog.Find(dataset);
        var locator = DataLocator.ForCurrentProcess();
        var folder = locator.Resolve(info, dataOption);
        if (folder.Rule == DataFolderRule.UserCache && !DataLocator.HasAllFiles(info, folder.Path))
            FetchIntoCache(info, folder);
        else
            folder = locator.RequireExisting(info, dataOption);
        var train = LabelledImages.Load(folder.Path, info, DatasetSplit.Train);
        var test = LabelledImages.Load(folder.Path, info, DatasetSplit.Test);
        if (trainCount > train.Count)
            throw new CnnParityException($"--train {trainCount} is more than the {train.Count} training images in {folder.Path}");
        if (testCount > test.Count)
            throw new CnnParityException($"--test {testCount} is more than the {test.Count} test images in {folder.Path}");
        return (ScratchData.From(train, test, trainCount, testCount), folder);
    }

    static void FetchIntoCache(DatasetInfo dataset, DataFolder cache)
    {
        var mirrors = DataFetching.EnvironmentMirrors();
        // stderr: stdout carries the command's results (train's log lines, bench's table).
        Console.Error.WriteLine($"no {dataset.Name} data found (--data, ${DataLocator.EnvironmentVariable}, a shared or system folder): " +
                                $"fetching it once into {cache.Path} ({cache.Reason}), as `cnnparity data fetch` does");
        try
        {
            DataFetching.Fetch(dataset, cache.Path, mirrors, Console.Error, $"the first-run fetch of {dataset.Name}");
        }
        catch (CnnParityException e) when (!Interruption.Requested)
        {
            throw new CnnParityException(
                $"no {dataset.Name} data found and fetching it into {cache.Path} failed ({e.Message}); " +
                $"run `cnnparity data fetch --dataset {dataset.Name}` when online, or pass --data DIR", inner: e);
        }
        Console.Error.WriteLine($"{dataset.Name}: all files present and verified in {cache.Path}");
    }
}
