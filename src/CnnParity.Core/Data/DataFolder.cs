namespace CnnParity.Core.Data;

/// <summary>Which rule of <see cref="DataLocator"/> chose a data folder, in the order they are tried.</summary>
public enum DataFolderRule
{
    DataOption,
    EnvironmentVariable,
    SharedCheckout,
    SystemPackage,
    UserCache,
}

/// <summary>A folder that holds (or should hold) a dataset's four files, and why it was chosen.</summary>
public sealed record DataFolder(string Path, DataFolderRule Rule)
{
    public string Reason => Rule switch
    {
        DataFolderRule.DataOption => "--data",
        DataFolderRule.EnvironmentVariable => $"${DataLocator.EnvironmentVariable}",
        DataFolderRule.SharedCheckout => "shared data folder beside the checkout",
        DataFolderRule.SystemPackage => "system package folder",
        DataFolderRule.UserCache => "per-user cache",
        _ => Rule.ToString(),
    };
}
