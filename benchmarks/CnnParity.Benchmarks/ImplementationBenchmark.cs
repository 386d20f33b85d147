using BenchmarkDotNet.Attributes;

namespace CnnParity.Benchmarks;

/// <summary>
/// What every benchmark here varies: the kernel count and the implementation (see <see cref="Benchmarks.Implementation"/>),
/// built once per combination outside the measured calls.
/// </summary>
public abstract class ImplementationBenchmark
{
    [Params(4, 16)]
    public int Kernels { get; set; }

    [ParamsSource(nameof(Implementations))]
    public string Implementation { get; set; } = "";

    public static IEnumerable<string> Implementations => Benchmarks.Implementation.All;

    protected Implementation Subject { get; private set; } = null!;

    [GlobalSetup]
    public void Setup() => Subject = Benchmarks.Implementation.Create(Implementation, Kernels);

    [GlobalCleanup]
    public void Cleanup() => Subject.Dispose();
}
