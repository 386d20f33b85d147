namespace CnnParity.Core.Data;

/// <summary>The state of one catalog file in a folder: size, digest and which known digest it matches.</summary>
/// <param name="ReadError">Why the digest could not be computed (the file exists but cannot be read).</param>
public sealed record FileCheck(DatasetFile File, string Path, long? Bytes, string? Sha256, KnownDigest? Match, string? ReadError = null)
{
    public bool Exists => Bytes is not null;
    public bool IsOk => Match is not null;
    public string Status => !Exists ? "MISSING" : ReadError is not null ? "UNREADABLE" : IsOk ? "OK" : "MISMATCH";
}

/// <summary>Compares the files in a folder with the catalog's SHA-256s.</summary>
public static class DatasetVerifier
{
    public static IReadOnlyList<FileCheck> Check(DatasetInfo dataset, string folder) =>
        dataset.Files.Select(file => Check(file, folder)).ToList();

    public static FileCheck Check(DatasetFile file, string folder)
    {
        string path = Path.Combine(folder, file.FileName);
        if (!System.IO.File.Exists(path))
            return new(file, path, null, null, null);
        long bytes = new FileInfo(path).Length;
        try
        {
            string sha = FileDigest.Sha256(path);
            return new(file, path, bytes, sha, file.Match(sha));
        }
        catch (CnnParityException e)
        {
            return new(file, path, bytes, null, null, e.Message);
        }
    }

    /// <summary>Throws a one-line error naming every file that is missing or has an unknown digest.</summary>
    public static void ThrowIfAnyFailed(DatasetInfo dataset, string folder, IReadOnlyList<FileCheck> checks)
    {
        var failed = checks.Where(c => !c.IsOk).ToList();
        if (failed.Count == 0)
            return;
        string which = string.Join(", ", failed.Select(c => $"{c.File.FileName} {c.Status}"));
        throw new CnnParityException(
            $"{dataset.Name}: {failed.Count} of {checks.Count} files failed the SHA-256 check in {folder}: {which}; run `cnnparity data fetch --dataset {dataset.Name} --data {folder}` to replace them");
    }
}
