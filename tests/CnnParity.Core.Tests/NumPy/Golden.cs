using System.Text;
using CnnParity.Core.Data;
using CnnParity.Core.NumPy;
using CnnParity.Testing;

namespace CnnParity.Core.Tests.NumPy;

/// <summary>
/// Where the golden files made by real NumPy live (<c>reference/golden</c>, found by walking up from the test
/// binary to the folder holding <c>CnnParity.sln</c>), where MNIST lives, and the bitwise comparison
/// every golden test uses: raw bits equal, or a failure naming the tensor, how many elements differ and
/// the largest distance in ULP.
/// </summary>
internal static class Golden
{
    private static readonly Lazy<string> RepositoryRoot = new(FindRepositoryRoot);

    public static string Root => RepositoryRoot.Value;

    public static string Dir => Path.Combine(Root, "reference", "golden");

    public static string PathOf(params string[] parts) => Path.Combine([Dir, .. parts]);

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CnnParity.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no CnnParity.sln above {AppContext.BaseDirectory}");
    }

    /// <summary>The MNIST folder the CLI would use (--data absent), or null when its four files are not all there.</summary>
    public static string? MnistFolder()
    {
        string folder = DataLocator.ForCurrentProcess().Resolve(DatasetCatalog.Mnist, null).Path;
        string[] files = ["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"];
        return files.All(f => File.Exists(Path.Combine(folder, f))) ? folder : null;
    }

    /// <summary>The MNIST folder, or the calling test is skipped (never passed) when there is none.</summary>
    public static string RequireMnist()
    {
        string? mnist = MnistFolder();
        Skip.If(mnist == null, "MNIST not found (../shared/data/mnist or $CNNPARITY_DATA)");
        return mnist!;
    }

    /// <summary>Null if every element has the same bits, else one line: name, count, max ULP and where.</summary>
    public static string? BitwiseMismatch(string name, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        if (expected.Length != actual.Length)
        {
            return $"{name}: length {actual.Length}, expected {expected.Length}";
        }
        int differing = 0, worst = -1;
        long maxUlp = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (BitConverter.DoubleToInt64Bits(expected[i]) != BitConverter.DoubleToInt64Bits(actual[i]))
            {
                differing++;
                long u = Ulp.Distance(expected[i], actual[i]);
                if (worst < 0 || u > maxUlp)
                {
                    maxUlp = u;
                    worst = i;
                }
            }
        }
        return differing == 0
            ? null
            : $"{name}: {differing} of {expected.Length} elements differ in their bits, max {maxUlp} ULP at [{worst}] " +
              $"(NumPy {expected[worst]:R} = 0x{BitConverter.DoubleToInt64Bits(expected[worst]):x16}, " +
              $"C# {actual[worst]:R} = 0x{BitConverter.DoubleToInt64Bits(actual[worst]):x16})";
    }

    /// <summary>Fails with <see cref="BitwiseMismatch"/>'s report unless the bits are equal.</summary>
    public static void AssertBitwise(string name, ReadOnlySpan<double> expected, ReadOnlySpan<double> actual)
    {
        string? mismatch = BitwiseMismatch(name, expected, actual);
        Assert.True(mismatch == null, mismatch);
    }

    /// <summary>Reads "name count sha256" lines.</summary>
    public static IEnumerable<(string Name, int Count, string Sha256)> ReadSets(string path) =>
        File.ReadAllLines(path).Where(l => l.Length > 0).Select(l => l.Split(' ')).Select(p => (p[0], int.Parse(p[1]), p[2]));

    public static string Sha256(ReadOnlySpan<double> values) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Runtime.InteropServices.MemoryMarshal.AsBytes(values)));

    public static string Sha256(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>
    /// The drawn input sets of <c>reference/make_numeric_goldens.py</c>, replayed with <see cref="NumPyRandomState"/>
    /// in the script's order: bits, wide, narrow, log.
    /// </summary>
    public static Dictionary<string, double[]> DrawSets(uint seed, int n, double wide, double narrow, int logLow, int logHigh)
    {
        var rs = new NumPyRandomState(seed);
        var hi = new long[n];
        var lo = new long[n];
        rs.RandInt(0, 1L << 32, hi);
        rs.RandInt(0, 1L << 32, lo);
        var bits = new double[n];
        for (int i = 0; i < n; i++)
        {
            bits[i] = BitConverter.Int64BitsToDouble((hi[i] << 32) | lo[i]);
        }
        double[] w = Uniform(rs, n, wide);
        double[] nr = Uniform(rs, n, narrow);
        var m = new double[n];
        rs.RandomSample(m);
        var e = new long[n];
        rs.RandInt(logLow, logHigh, e);
        var lg = new double[n];
        for (int i = 0; i < n; i++)
        {
            lg[i] = Math.ScaleB(m[i] * 2 - 1, (int)e[i]);
        }
        return new() { ["bits"] = bits, ["wide"] = w, ["narrow"] = nr, ["log"] = lg };

        static double[] Uniform(NumPyRandomState rs, int n, double scale)
        {
            var x = new double[n];
            rs.RandomSample(x);
            for (int i = 0; i < n; i++)
            {
                x[i] = x[i] * scale - scale / 2;
            }
            return x;
        }
    }
}
