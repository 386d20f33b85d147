namespace CnnParity.Core.Data;

public enum DownloadStage
{
    /// <summary>The file is already in the folder with a known digest; nothing is downloaded.</summary>
    AlreadyPresent,
    Trying,
    Receiving,
    Downloaded,
    MirrorFailed,
}

/// <summary>Progress of <see cref="MnistDownloader"/>, reported synchronously on the downloading thread.</summary>
public sealed record DownloadEvent(
    DatasetFile File,
    DownloadStage Stage,
    Uri? Source = null,
    long Bytes = 0,
    long? TotalBytes = null,
    string? Reason = null);

/// <summary>Where a file ended up and whether it had to be downloaded.</summary>
public sealed record FetchedFile(DatasetFile File, string Path, Uri? Source)
{
    public bool WasDownloaded => Source is not null;
}
