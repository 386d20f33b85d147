using System.Security.Cryptography;

namespace CnnParity.Core.Data;

/// <summary>
/// Downloads a dataset's files, trying each mirror in turn until one serves bytes with a known SHA-256.
/// Bytes go to <c>&lt;file&gt;.partial-&lt;random&gt;</c> beside the target and are renamed over it only after
/// the digest matches, so the target is either absent, the old file, or a verified file; never half written.
/// </summary>
public sealed class MnistDownloader
{
    private readonly HttpClient _http;
    private readonly IReadOnlyList<Uri>? _mirrors;

    /// <param name="http">Owned by the caller; its own Timeout should be infinite or generous, see <see cref="FileTimeout"/>.</param>
    /// <param name="mirrors">Base URLs ending in '/', tried in order; null means the catalog's mirrors.</param>
    public MnistDownloader(HttpClient http, IReadOnlyList<Uri>? mirrors = null)
    {
        _http = http;
        _mirrors = mirrors;
    }

    /// <summary>Limit for one file from one mirror, headers and body together.</summary>
    public TimeSpan FileTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>A body longer than this is not one of our files (the largest, Fashion-MNIST train images, is 26 MB).</summary>
    public long MaxFileBytes { get; init; } = 64L << 20;

    public async Task<IReadOnlyList<FetchedFile>> FetchAsync(
        DatasetInfo dataset, string folder, Action<DownloadEvent>? progress = null, CancellationToken cancel = default)
    {
        CreateFolder(folder);
        var fetched = new List<FetchedFile>();
        foreach (var file in dataset.Files)
            fetched.Add(await FetchFileAsync(file, folder, _mirrors ?? dataset.Mirrors, progress, cancel));
        return fetched;
    }

    public async Task<FetchedFile> FetchFileAsync(
        DatasetFile file, string folder, IReadOnlyList<Uri> mirrors, Action<DownloadEvent>? progress = null, CancellationToken cancel = default)
    {
        string target = Path.Combine(folder, file.FileName);
        if (File.Exists(target) && file.Match(FileDigest.Sha256(target)) is not null)
        {
            progress?.Invoke(new(file, DownloadStage.AlreadyPresent));
            return new(file, target, null);
        }

        var reasons = new List<string>();
        foreach (var mirror in mirrors)
        {
            var url = new Uri(mirror, file.FileName);
            progress?.Invoke(new(file, DownloadStage.Trying, url));
            string? failure = await TryMirrorAsync(file, url, target, progress, cancel);
            if (failure is null)
                return new(file, target, url);
            reasons.Add($"{url}: {failure}");
            progress?.Invoke(new(file, DownloadStage.MirrorFailed, url, Reason: failure));
        }
        string why = reasons.Count == 0 ? "no mirrors configured" : string.Join("; ", reasons);
        throw new CnnParityException($"{file.FileName}: download failed from every mirror: {why}");
    }

    /// <returns>null when <paramref name="target"/> now holds a verified copy, else why this mirror failed.</returns>
    private async Task<string?> TryMirrorAsync(
        DatasetFile file, Uri url, string target, Action<DownloadEvent>? progress, CancellationToken cancel)
    {
        string partial = $"{target}.partial-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        deadline.CancelAfter(FileTimeout);
        try
        {
            string? failure = await DownloadToAsync(file, url, partial, progress, deadline.Token);
            if (failure is not null)
                return failure;
            File.Move(partial, target, overwrite: true);
            return null;
        }
        catch (OperationCanceledException) when (!cancel.IsCancellationRequested)
        {
            return $"timed out after {FileTimeout.TotalSeconds:0} s";
        }
        catch (Exception e) when (e is HttpRequestException or IOException or UnauthorizedAccessException)
        {
            return IdxFormatException.OneLine(e.Message);
        }
        finally
        {
            DeleteQuietly(partial);
        }
    }

    private async Task<string?> DownloadToAsync(
        DatasetFile file, Uri url, string partial, Action<DownloadEvent>? progress, CancellationToken cancel)
    {
        using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancel);
        if (!response.IsSuccessStatusCode)
            return $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}";
        long? announced = response.Content.Headers.ContentLength;
        if (announced > MaxFileBytes)
            return $"body of {announced} bytes exceeds the {MaxFileBytes}-byte limit";

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        long received = 0;
        await using (var body = await response.Content.ReadAsStreamAsync(cancel))
        await using (var output = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true))
        {
            var buffer = new byte[1 << 16];
            int got;
            while ((got = await body.ReadAsync(buffer, cancel)) > 0)
            {
                received += got;
                if (received > MaxFileBytes)
                    return $"body exceeds the {MaxFileBytes}-byte limit";
                sha.AppendData(buffer, 0, got);
                await output.WriteAsync(buffer.AsMemory(0, got), cancel);
                progress?.Invoke(new(file, DownloadStage.Receiving, url, received, announced));
            }
            output.Flush(flushToDisk: true); // the rename must not expose bytes still in the page cache only
        }
        if (announced is long expected && received != expected)
            return $"truncated body: {received} of {expected} bytes";

        string digest = Convert.ToHexStringLower(sha.GetHashAndReset());
        if (file.Match(digest) is null)
            return $"SHA-256 mismatch: got {digest}, expected {string.Join(" or ", file.Digests.Select(d => d.Sha256))}";
        progress?.Invoke(new(file, DownloadStage.Downloaded, url, received, announced));
        return null;
    }

    private static void CreateFolder(string folder)
    {
        try
        {
            Directory.CreateDirectory(folder);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CnnParityException($"cannot create data folder {folder}: {IdxFormatException.OneLine(e.Message)}", inner: e);
        }
    }

    private static void DeleteQuietly(string path)
    {
        try
        {
            File.Delete(path); // no-op when absent, e.g. after the rename
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Leaving a stray .partial-* is harmless: it never has the target's name.
        }
    }
}
