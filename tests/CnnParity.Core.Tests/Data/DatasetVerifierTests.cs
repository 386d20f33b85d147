using System.Security.Cryptography;
using CnnParity.Core.Data;

namespace CnnParity.Core.Tests.Data;

public sealed class DatasetVerifierTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    [Fact]
    public void ReportsOkMismatchAndMissingThenFailsInOneLine()
    {
        byte[] good = IdxFiles.Gzip(IdxFiles.Labels(1, 2, 3));
        var dataset = DatasetCatalog.Mnist with
        {
            Files = DatasetCatalog.Mnist.Files
                .Select(f => f with { Digests = [new KnownDigest(Convert.ToHexStringLower(SHA256.HashData(good)), "test")] })
                .ToList(),
        };
        _folder.Write("train-images-idx3-ubyte.gz", good);
        _folder.Write("train-labels-idx1-ubyte.gz", good);
        _folder.Write("t10k-images-idx3-ubyte.gz", [.. good, 0]);

        var checks = DatasetVerifier.Check(dataset, _folder.Path);
        var error = Assert.Throws<CnnParityException>(() => DatasetVerifier.ThrowIfAnyFailed(dataset, _folder.Path, checks));

        Assert.Equal(["OK", "OK", "MISMATCH", "MISSING"], checks.Select(c => c.Status));
        Assert.Equal(good.Length, checks[0].Bytes);
        Assert.Contains("2 of 4 files failed the SHA-256 check", error.Message);
        Assert.Contains("t10k-images-idx3-ubyte.gz MISMATCH, t10k-labels-idx1-ubyte.gz MISSING", error.Message);
        Assert.DoesNotContain('\n', error.Message);
    }
}
