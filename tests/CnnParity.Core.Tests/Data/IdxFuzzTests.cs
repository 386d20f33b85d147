using System.Diagnostics;
using CnnParity.Core.Data;
using CsCheck;

namespace CnnParity.Core.Tests.Data;

/// <summary>
/// Random damage to valid IDX bytes (bit flips, truncation, insertion, overwrites; raw, gzip, and
/// damaged-then-gzipped) must end in success or an <see cref="IdxFormatException"/>, nothing else,
/// quickly and without allocating what a damaged header claims.
/// Iterations: env CNNPARITY_FUZZ_ITERATIONS (default 2000).
/// </summary>
public sealed class IdxFuzzTests
{
    private const long AllocationBound = 16L << 20;
    private static readonly TimeSpan PerInputBound = TimeSpan.FromSeconds(2);

    private enum Damage { FlipBit, Truncate, Insert, Overwrite }

    private sealed record Mutation(Damage Damage, int Position, byte Value);

    /// <param name="GzipAfterDamage">Damage the IDX bytes, then compress: the gzip is valid, the IDX inside is not.</param>
    private sealed record Seed(string Name, IdxContent Content, byte[] Raw, bool Gzip, bool GzipAfterDamage);

    private static readonly Seed[] Seeds =
    [
        new("labels", IdxContent.Labels, IdxFiles.Labels(IdxFiles.DigitLabels(40)), false, false),
        new("images", IdxContent.Images, IdxFiles.Images(4, 5, 6), false, false),
        new("labels.gz", IdxContent.Labels, IdxFiles.Labels(IdxFiles.DigitLabels(40)), true, false),
        new("images.gz", IdxContent.Images, IdxFiles.Images(4, 5, 6), true, false),
        new("labels-then.gz", IdxContent.Labels, IdxFiles.Labels(IdxFiles.DigitLabels(40)), true, true),
        new("images-then.gz", IdxContent.Images, IdxFiles.Images(4, 5, 6), true, true),
    ];

    private static readonly Gen<Mutation> MutationGen =
        Gen.Select(Gen.Enum<Damage>(), Gen.Int[0, 4096], Gen.Byte, (damage, position, value) => new Mutation(damage, position, value));

    // Positions are biased to the header half of the time: that is where the interesting failures are.
    private static readonly Gen<(Seed Seed, Mutation[] Mutations)> Inputs =
        Gen.Select(Gen.Int[0, Seeds.Length - 1].Select(i => Seeds[i]), MutationGen.Array[1, 4]);

    [Fact]
    public void DamagedFilesFailOnlyWithIdxFormatException()
    {
        long iterations = long.TryParse(Environment.GetEnvironmentVariable("CNNPARITY_FUZZ_ITERATIONS"), out long n) && n > 0 ? n : 2000;
        long failures = 0, successes = 0;

        Inputs.Sample((seed, mutations) =>
        {
            byte[] bytes = Build(seed, mutations);
            var clock = Stopwatch.StartNew();
            long before = GC.GetAllocatedBytesForCurrentThread();
            try
            {
                AssertConsistent(Read(seed, bytes));
                Interlocked.Increment(ref successes);
            }
            catch (IdxFormatException e)
            {
                Assert.DoesNotContain('\n', e.Message);
                Interlocked.Increment(ref failures);
            }
            long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            Assert.True(allocated < AllocationBound, $"allocated {allocated} bytes");
            Assert.True(clock.Elapsed < PerInputBound, $"took {clock.Elapsed}");
        }, iter: iterations, print: input => $"{input.Item1.Name} {string.Join(", ", input.Item2.Select(m => m.ToString()))}");

        Assert.Equal(iterations, failures + successes);
        Assert.True(failures > 0, "no damaged input was rejected: the mutations are not reaching the reader");
    }

    private static byte[] Build(Seed seed, Mutation[] mutations)
    {
        if (!seed.Gzip)
            return Apply(seed.Raw, mutations);
        return seed.GzipAfterDamage ? IdxFiles.Gzip(Apply(seed.Raw, mutations)) : Apply(IdxFiles.Gzip(seed.Raw), mutations);
    }

    private static byte[] Apply(byte[] original, Mutation[] mutations)
    {
        var bytes = new List<byte>(original);
        foreach (var m in mutations)
        {
            int position = m.Position % 2 == 0 ? m.Position / 2 % 17 : m.Position; // half in the header
            switch (m.Damage)
            {
                case Damage.FlipBit when bytes.Count > 0:
                    bytes[position % bytes.Count] ^= (byte)(1 << (m.Value % 8));
                    break;
                case Damage.Truncate:
                    bytes.RemoveRange(position % (bytes.Count + 1), bytes.Count - position % (bytes.Count + 1));
                    break;
                case Damage.Insert:
                    bytes.Insert(position % (bytes.Count + 1), m.Value);
                    break;
                case Damage.Overwrite when bytes.Count > 0:
                    bytes[position % bytes.Count] = m.Value;
                    break;
            }
        }
        return [.. bytes];
    }

    private static object Read(Seed seed, byte[] bytes) =>
        seed.Content == IdxContent.Images
            ? IdxReader.ReadImages(new MemoryStream(bytes), seed.Name)
            : IdxReader.ReadLabels(new MemoryStream(bytes), seed.Name);

    private static void AssertConsistent(object result)
    {
        switch (result)
        {
            case IdxImages images:
                Assert.Equal((long)images.Count * images.Rows * images.Cols, images.Pixels.LongLength);
                break;
            case IdxLabels labels:
                Assert.All(labels.Values, label => Assert.InRange(label, 0, 9));
                break;
        }
    }
}
