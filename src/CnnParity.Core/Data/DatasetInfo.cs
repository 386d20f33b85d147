namespace CnnParity.Core.Data;

public enum DatasetSplit
{
    Train,
    Test,
}

/// <summary>A SHA-256 that a copy of a file may have, and where copies with that digest come from.</summary>
public sealed record KnownDigest(string Sha256, string Origin);

/// <summary>One of the four files of a dataset, with every digest a trusted copy of it may have.</summary>
public sealed record DatasetFile(string FileName, DatasetSplit Split, IdxContent Content, IReadOnlyList<KnownDigest> Digests)
{
    /// <summary>The known digest equal to <paramref name="sha256"/> (lower-case hex), or null.</summary>
    public KnownDigest? Match(string sha256) =>
        Digests.FirstOrDefault(d => string.Equals(d.Sha256, sha256, StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// A named MNIST-format dataset: its files, the mirrors that serve them, and where a copy may already sit.
/// </summary>
/// <param name="CheckoutFolder">A folder, relative to an ancestor of the checkout, that may hold the files.</param>
/// <param name="SystemFolder">An absolute folder a system package installs the files into.</param>
public sealed record DatasetInfo(
    string Name,
    IReadOnlyList<DatasetFile> Files,
    IReadOnlyList<Uri> Mirrors,
    string? CheckoutFolder,
    string? SystemFolder)
{
    public DatasetFile File(DatasetSplit split, IdxContent content) =>
        Files.Single(f => f.Split == split && f.Content == content);
}
