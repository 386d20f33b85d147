using CnnParity.Core.Data;

namespace CnnParity.Cli;

/// <summary>
/// Downloads a dataset with <see cref="MnistDownloader"/> (checksums, nothing half written), reporting each file on its
/// own lines: which mirror, a line at each quarter of the bytes, the verified size. Used by <c>data fetch</c> and by the
/// first run of a command that finds no data anywhere.
/// </summary>
internal static class DataFetching
{
    /// <summary>The mirrors <c>$CNNPARITY_MIRRORS</c> names, or null for the catalog's (a bad URL is a one-line error).</summary>
    public static IReadOnlyList<Uri>? EnvironmentMirrors() => MirrorList.FromEnvironment(Environment.GetEnvironmentVariable);

    /// <param name="mirrors">base URLs to try in order; null: the catalog's</param>
    /// <param name="log">where the lines go: stdout for <c>data fetch</c>, stderr when a command's stdout holds its results</param>
    /// <param name="activity">what an interruption message says was going on, e.g. "data fetch"</param>
    public static void Fetch(DatasetInfo dataset, string folder, IReadOnlyList<Uri>? mirrors, TextWriter log, string activity)
    {
        using var http = new HttpClient { Timeout = Timeout.InfiniteTimeSpan }; // the downloader bounds each file
        http.DefaultRequestHeaders.UserAgent.ParseAdd("cnnparity");
        var downloader = new MnistDownloader(http, mirrors);
        int quartersShown = 0;
        downloader.FetchAsync(dataset, folder, e =>
        {
            if (e.Stage == DownloadStage.Trying)
            {
                Interruption.Activity = $"{activity}: downloading {e.File.FileName}";
                quartersShown = 0;
            }
            if (Line(e, ref quartersShown) is { } line)
                log.WriteLine($"  {e.File.FileName}: {line}");
        }, Interruption.Token).GetAwaiter().GetResult();
    }

    static string? Line(DownloadEvent e, ref int quartersShown)
    {
        switch (e.Stage)
        {
            case DownloadStage.AlreadyPresent: return "already present, SHA-256 OK";
            case DownloadStage.Trying: return $"downloading {e.Source}";
            case DownloadStage.MirrorFailed: return $"failed: {e.Reason}";
            case DownloadStage.Downloaded: return $"downloaded {e.Bytes} bytes, SHA-256 OK";
            case DownloadStage.Receiving when e.TotalBytes is > 0 and long total:
                // A line per quarter, not per chunk: a log stays readable.
                int quarters = (int)Math.Min(3, 4 * e.Bytes / total);
                if (quarters <= quartersShown) return null;
                quartersShown = quarters;
                return $"{25 * quarters}% of {total} bytes";
            default: return null;
        }
    }
}
