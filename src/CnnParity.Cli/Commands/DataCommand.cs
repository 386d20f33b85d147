using System.CommandLine;
using CnnParity.Core;
using CnnParity.Core.Data;

namespace CnnParity.Cli.Commands;

/// <summary>
/// <c>cnnparity data fetch|verify|info</c>: thin wrappers over <see cref="CnnParity.Core.Data"/>.
/// Results go to stdout; every failure is a <see cref="CnnParityException"/> that Program prints as one line.
/// </summary>
public static class DataCommand
{
    private const int LabelsShown = 12;

    public static Command Create()
    {
        var data = new Option<string>("--data")
        {
            Description = "Folder holding the four .gz files (default: $CNNPARITY_DATA, shared/data/mnist beside the checkout, "
                        + "the system package folder, then the per-user cache)",
            Recursive = true,
        };
        var dataset = new Option<string>("--dataset")
        {
            Description = $"Dataset: {string.Join(" or ", DatasetCatalog.All.Select(d => d.Name))}",
            DefaultValueFactory = _ => DatasetCatalog.Mnist.Name,
            Recursive = true,
        };
        var mirror = new Option<string[]>("--mirror")
        {
            Description = $"Base URL to download from instead of the catalog's mirrors (repeatable, tried in order; default: ${MirrorList.EnvironmentVariable})",
        };

        var fetch = new Command("fetch", "Download the dataset into --data DIR or the per-user cache, checking SHA-256.");
        fetch.Options.Add(mirror);
        fetch.SetAction(p => Fetch(DatasetCatalog.Find(p.GetValue(dataset)!), p.GetValue(data), p.GetValue(mirror)));

        var verify = new Command("verify", "Check the SHA-256 of the dataset's four files against the catalog.");
        verify.SetAction(p => Verify(DatasetCatalog.Find(p.GetValue(dataset)!), p.GetValue(data)));

        var info = new Command("info", "Show where the data is, each file's size, SHA-256, record count and shape, and the labels.");
        info.SetAction(p => Info(DatasetCatalog.Find(p.GetValue(dataset)!), p.GetValue(data)));

        var command = new Command("data", "Fetch, verify and describe the MNIST-format datasets.");
        command.Options.Add(data);
        command.Options.Add(dataset);
        command.Subcommands.Add(fetch);
        command.Subcommands.Add(verify);
        command.Subcommands.Add(info);
        return command;
    }

    private static int Fetch(DatasetInfo dataset, string? dataOption, string[]? mirrorOption)
    {
        var folder = DataLocator.ForCurrentProcess().ResolveDownloadTarget(dataset, dataOption);
        var mirrors = MirrorList.Parse(mirrorOption, "--mirror") ?? DataFetching.EnvironmentMirrors();
        Console.WriteLine($"fetching {dataset.Name} into {folder.Path} (chosen by {folder.Reason})");
        Interruption.Activity = $"data fetch of {dataset.Name}";
        Interruption.Outcome = $"files already in {folder.Path} left intact, no partial file kept";
        DataFetching.Fetch(dataset, folder.Path, mirrors, Console.Out, "data fetch");
        Console.WriteLine("all files present and verified");
        return 0;
    }

    private static int Verify(DatasetInfo dataset, string? dataOption)
    {
        var folder = DataLocator.ForCurrentProcess().RequireExisting(dataset, dataOption);
        Console.WriteLine($"{dataset.Name} in {folder.Path} (chosen by {folder.Reason})");
        var checks = DatasetVerifier.Check(dataset, folder.Path);
        foreach (var check in checks)
            Console.WriteLine($"  {check.Status,-10}  {check.File.FileName,-28}  {check.Sha256 ?? "-",-64}  {check.Match?.Origin}".TrimEnd());
        DatasetVerifier.ThrowIfAnyFailed(dataset, folder.Path, checks);
        return 0;
    }

    private static int Info(DatasetInfo dataset, string? dataOption)
    {
        var folder = DataLocator.ForCurrentProcess().RequireExisting(dataset, dataOption);
        Console.WriteLine($"dataset: {dataset.Name}");
        Console.WriteLine($"folder:  {folder.Path} (chosen by {folder.Reason})");
        Console.WriteLine();
        Console.WriteLine($"  {"file",-28}  {"bytes",10}  {"sha-256",-64}  {"check",-10}  {"records",7}  shape");

        CnnParityException? firstError = null;
        var checks = DatasetVerifier.Check(dataset, folder.Path);
        var labelsBySplit = new Dictionary<DatasetSplit, IdxLabels>();
        var imagesBySplit = new Dictionary<DatasetSplit, IdxImages>();
        foreach (var check in checks)
        {
            string records = "-", shape = "";
            try
            {
                if (check.File.Content == IdxContent.Images)
                {
                    var images = imagesBySplit[check.File.Split] = IdxReader.ReadImages(check.Path);
                    (records, shape) = ($"{images.Count}", $"{images.Rows}x{images.Cols}");
                }
                else
                {
                    var labels = labelsBySplit[check.File.Split] = IdxReader.ReadLabels(check.Path);
                    records = $"{labels.Count}";
                }
            }
            catch (CnnParityException e)
            {
                firstError ??= e;
            }
            Console.WriteLine($"  {check.File.FileName,-28}  {check.Bytes?.ToString() ?? "-",10}  {check.Sha256 ?? "-",-64}  {check.Status,-10}  {records,7}  {shape}".TrimEnd());
        }

        foreach (var (split, labels) in labelsBySplit)
        {
            if (imagesBySplit.TryGetValue(split, out var images))
                firstError ??= Try(() => LabelledImages.From(images, labels));
            string name = split.ToString().ToLowerInvariant();
            Console.WriteLine();
            Console.WriteLine($"{name} first {LabelsShown} labels: {string.Join(' ', labels.Values.Take(LabelsShown))}");
            Console.WriteLine($"{name} class counts 0..9: {string.Join(' ', LabelledImages.CountClasses(labels.Values))}");
        }

        if (firstError is not null)
            throw firstError;
        DatasetVerifier.ThrowIfAnyFailed(dataset, folder.Path, checks);
        return 0;
    }

    private static CnnParityException? Try(Action action)
    {
        try
        {
            action();
            return null;
        }
        catch (CnnParityException e)
        {
            return e;
        }
    }
}
