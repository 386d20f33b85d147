using System.Text;

namespace CnnParity.Core.IO;

/// <summary>
/// Writes a file so that readers see either the old content or the new, never half of it: the bytes go to a
/// temporary file in the same folder, which is then renamed over the target (a rename is atomic on one file system).
/// </summary>
public static class AtomicFile
{
    public static void WriteAllText(string path, string text) => WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

    public static void WriteAllBytes(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string temp = TempBeside(full);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, full, overwrite: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            TryDelete(temp);
            throw new CnnParityException($"cannot write {full}: {e.Message}", inner: e);
        }
    }

    /// <summary>
    /// A unique hidden temporary file beside <paramref name="path"/> (same folder, so one file system and an atomic
    /// rename); unique so that two writers of one path never share it.
    /// </summary>
    public static string TempBeside(string path)
    {
        string full = Path.GetFullPath(path);
        return Path.Combine(Path.GetDirectoryName(full)!, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
    }

    /// <summary>
    /// Fails fast, before a long run, when files cannot be written into <paramref name="folder"/>: creates it, then
    /// writes and deletes one empty file (<c>.{name}.{guid}.tmp</c>). I/O errors pass through for the caller to word.
    /// </summary>
    public static void ProbeWritable(string folder, string name)
    {
        Directory.CreateDirectory(folder);
        string probe = TempBeside(Path.Combine(folder, name));
        try
        {
            File.WriteAllBytes(probe, []);
        }
        finally
        {
            TryDelete(probe);
        }
    }

    /// <summary>Deletes a temporary file if it can; the error that brought us here matters more.</summary>
    public static void TryDelete(string path)
    {
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
