using System.Security.Cryptography;

namespace CnnParity.Core.Data;

/// <summary>SHA-256 of a file as lower-case hex, the form the catalog and <c>sha256sum</c> use.</summary>
public static class FileDigest
{
    public static string Sha256(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (UnauthorizedAccessException e)
        {
            throw new CnnParityException($"{Path.GetFileName(path)}: cannot read: permission denied", inner: e);
        }
        catch (IOException e)
        {
            throw new CnnParityException($"{Path.GetFileName(path)}: cannot read: {IdxFormatException.OneLine(e.Message)}", inner: e);
        }
    }
}
