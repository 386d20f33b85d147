using System.IO.Compression;

namespace CnnParity.Testing.NumPy;

/// <summary>
/// A NumPy <c>.npz</c> archive (<c>np.savez</c> / <c>np.savez_compressed</c>: a zip of <c>.npy</c> files),
/// read whole. Names are the keyword names given to <c>savez</c> (without the <c>.npy</c> suffix).
/// </summary>
public static class Npz
{
    /// <summary>Reads every array of an <c>.npz</c> file, keyed by name, in archive order.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Load(string path)
    {
        using FileStream stream = File.OpenRead(path);
        return Read(stream, path);
    }

    /// <summary>Reads every array of an <c>.npz</c> image.</summary>
    public static IReadOnlyDictionary<string, NpyArray> Read(Stream stream, string name = "stream")
    {
        var result = new Dictionary<string, NpyArray>(StringComparer.Ordinal);
        using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            string key = entry.FullName.EndsWith(".npy", StringComparison.Ordinal) ? entry.FullName[..^4] : entry.FullName;
            using Stream s = entry.Open();
            result[key] = NpyArray.Read(s, $"{name}:{entry.FullName}");
        }
        return result;
    }
}
