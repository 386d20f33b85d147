using System.Text.Json;
using CnnParity.Core.NumPy;
using CnnParity.Core.Scratch;
using CnnParity.Core.Tests.NumPy;
using CnnParity.Testing.NumPy;

namespace CnnParity.Core.Tests.Scratch;

/// <summary>A run of reference/cnn_reference.py kept in reference/golden/&lt;name&gt;: its configuration and its files.</summary>
internal sealed class GoldenRun
{
    private GoldenRun(string dir, ScratchConfig config)
    {
        Dir = dir;
        Config = config;
    }

    public string Dir { get; }

    public ScratchConfig Config { get; }

    /// <summary>
    /// Reads <c>run.json</c> (the reference program's arguments) into a <see cref="ScratchConfig"/>, with the np.exp of the
    /// machine that made the golden (<see cref="Exp"/>), whatever this machine's NumPy would run.
    /// </summary>
    public static GoldenRun Load(string dir)
    {
        string json = Path.Combine(dir, "run.json");
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(json));
        JsonElement c = doc.RootElement.GetProperty("config");
        var config = new ScratchConfig
        {
            Seed = c.GetProperty("seed").GetUInt32(),
            NumKernels = c.GetProperty("kernels").GetInt32(),
            Grid = c.GetProperty("grid").GetInt32(),
            Epochs = c.GetProperty("epochs").GetInt32(),
            BatchSize = c.GetProperty("batch").GetInt32(),
            Alpha = c.GetProperty("alpha").GetDouble(),
            TrainCount = c.GetProperty("train").GetInt32(),
            TestCount = c.GetProperty("test").GetInt32(),
            Exp = Exp(json),
        };
        return new GoldenRun(dir, config);
    }

    /// <summary>
    /// The np.exp a golden was made with, from the CPU features its run file records: SVML's where NumPy found
    /// AVX512_SKX (as on the machine that made this project's goldens, see reference/README.md), else glibc's.
    /// </summary>
    public static NumPyExpKernel Exp(string runJson)
    {
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(runJson));
        bool skx = doc.RootElement.GetProperty("cpu_features").EnumerateArray().Any(f => f.GetString() == "AVX512_SKX");
        return skx ? NumPyExpKernel.Svml : NumPyExpKernel.Libm;
    }

    public string[] LogLines() => File.ReadAllLines(Path.Combine(Dir, "log.txt")).Where(l => l.Length > 0).ToArray();

    public IReadOnlyDictionary<string, NpyArray>? Arrays(string file)
    {
        string path = Path.Combine(Dir, file);
        return File.Exists(path) ? Npz.Load(path) : null;
    }
}

/// <summary>Collects every tensor comparison of a run, so that one failure reports all differing tensors.</summary>
internal sealed class TensorReport
{
    private readonly List<string> _mismatches = [];

    public int Compared { get; private set; }

    /// <summary>
    /// Compares a golden tensor with the C# one. A golden shorter than the C# tensor holds its first rows
    /// only (the reference's --dump-rows), so the prefix is compared.
    /// </summary>
    public void Compare(string name, NpyArray golden, ReadOnlySpan<double> actual)
    {
        double[] expected = golden.Descr == "<f8" ? golden.ToDoubleArray() : golden.ToDoubleArrayWidening();
        if (expected.Length > actual.Length)
        {
            _mismatches.Add($"{name}: golden {golden.ShapeText} is larger than the C# tensor ({actual.Length})");
            return;
        }
        Compared++;
        string? mismatch = Golden.BitwiseMismatch($"{name} {golden.ShapeText}", expected, actual[..expected.Length]);
        if (mismatch != null)
        {
            _mismatches.Add(mismatch);
        }
    }

    public void Add(string mismatch) => _mismatches.Add(mismatch);

    public void AssertClean(int minimumCompared)
    {
        Assert.True(_mismatches.Count == 0, $"{_mismatches.Count} tensors differ from NumPy:\n" + string.Join("\n", _mismatches));
        Assert.True(Compared >= minimumCompared, $"only {Compared} tensors compared");
    }
}
